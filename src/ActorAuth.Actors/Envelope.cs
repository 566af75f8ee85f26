namespace ActorAuth.Actors;

/// <summary>
/// A user message, its sender, and the link to the next one: the envelope is the mailbox queue's node, so
/// enqueueing costs exactly this one allocation. (A struct envelope would need an array-backed queue, whose
/// per-mailbox segment costs far more than the 1 KiB budget of an idle actor; see <see cref="Mailbox"/>.)
/// </summary>
internal sealed class Envelope(object? message, IActorRef? sender)
{
    internal object? Message = message;
    internal IActorRef? Sender = sender;
    internal Envelope? Next;
}
