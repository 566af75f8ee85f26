using ActorAuth.Server.Sessions;

namespace ActorAuth.Server.Tests;

public sealed class SessionHandlersTests
{
    [Fact]
    public void An_empty_operation_finds_the_default_handler()
    {
        var handlers = new SessionHandlers([new WhoAmIHandler(), new EchoHandler()], "echo");

        Assert.IsType<EchoHandler>(handlers.Find(""));
        Assert.IsType<WhoAmIHandler>(handlers.Find("whoami"));
        Assert.Null(handlers.Find("nope"));
        Assert.Equal(["echo", "whoami"], handlers.All.Select(h => h.Operation));
    }

    [Fact]
    public void Two_handlers_for_one_operation_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SessionHandlers([new EchoHandler(), new EchoHandler()], "echo"));
    }

    [Fact]
    public void A_default_operation_without_a_handler_is_refused_naming_what_is_registered()
    {
        var e = Assert.Throws<ArgumentException>(() => new SessionHandlers([new EchoHandler()], "deposit"));

        Assert.Contains("deposit", e.Message, StringComparison.Ordinal);
        Assert.Contains("echo", e.Message, StringComparison.Ordinal);
    }
}
