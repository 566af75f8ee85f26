namespace ActorAuth.Server.Hosting;

/// <summary>The server refused to start; the message says why and what to fix (e.g. an SPN held by another account).</summary>
public sealed class ServerStartupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ServerStartupException(string message, Exception? inner = null) : base(message, inner) { }
}
