namespace ActorAuth.Actors;

/// <summary>A handle to scheduled work.</summary>
public interface ICancelable
{
    /// <summary>Whether <see cref="Cancel"/> has been called.</summary>
    bool IsCancellationRequested { get; }

    /// <summary>Prevents any delivery not yet started; idempotent. A message already told is not recalled.</summary>
    void Cancel();
}
