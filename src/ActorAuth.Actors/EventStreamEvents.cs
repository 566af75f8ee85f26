namespace ActorAuth.Actors;

/// <summary>A kernel diagnostic: published on the event stream and passed to <see cref="ActorSystemSettings.Log"/>.</summary>
/// <param name="Source">The actor the event is about.</param>
/// <param name="Message">What happened, for humans.</param>
public abstract record LogEvent(IActorRef Source, string Message);

/// <summary>An actor failed (and what its supervisor did), or a lifecycle hook threw.</summary>
/// <param name="Source">The failed actor.</param>
/// <param name="Cause">The exception.</param>
/// <param name="Message">What happened and, for failures, the directive applied.</param>
public sealed record Error(IActorRef Source, Exception Cause, string Message) : LogEvent(Source, Message);

/// <summary>A message no handler of <paramref name="Recipient"/> accepted.</summary>
/// <param name="Message">The message.</param>
/// <param name="Sender">Its sender (dead letters if there was none).</param>
/// <param name="Recipient">The actor that did not handle it.</param>
public sealed record UnhandledMessage(object Message, IActorRef Sender, IActorRef Recipient);

/// <summary>A message that could not be delivered because its recipient had stopped (or was dead letters itself).</summary>
/// <param name="Message">The message.</param>
/// <param name="Sender">Its sender, if any.</param>
/// <param name="Recipient">The intended recipient.</param>
public sealed record DeadLetter(object Message, IActorRef? Sender, IActorRef Recipient);
