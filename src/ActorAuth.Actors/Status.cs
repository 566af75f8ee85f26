namespace ActorAuth.Actors;

/// <summary>Conventional replies that carry an outcome; <see cref="AskExtensions.Ask{T}"/> faults its task on <see cref="Failure"/>.</summary>
public static class Status
{
    /// <summary>The operation succeeded, optionally with a result.</summary>
    /// <param name="Result">The result, if any.</param>
    public sealed record Success(object? Result);

    /// <summary>The operation failed.</summary>
    /// <param name="Cause">Why it failed.</param>
    public sealed record Failure(Exception Cause);
}
