using ActorAuth.Client.Http;

namespace ActorAuth.Http.Tests;

/// <summary>Parsing <c>WWW-Authenticate</c> for Negotiate: a pure function of the header values.</summary>
public sealed class NegotiateChallengeTests
{
    [Theory]
    [InlineData("Negotiate", true, null)]
    [InlineData("negotiate abc+/=", true, "abc+/=")]
    [InlineData("NEGOTIATE  YII=", true, "YII=")]
    [InlineData("Basic realm=\"a, Negotiate xyz\"", false, null)]
    [InlineData("Basic realm=\"a, b\", Negotiate oYG3", true, "oYG3")]
    [InlineData("Bearer realm=\"x\", error=\"invalid\", Negotiate", true, null)]
    [InlineData("NegotiateX abc", false, null)]
    [InlineData("Negotiate realm=\"x\"", true, null)]
    [InlineData(",, Negotiate tok==,", true, "tok==")]
    [InlineData("", false, null)]
    public void One_header_value(string value, bool offered, string? token) =>
        Assert.Equal(new NegotiateChallenge(offered, token), NegotiateChallenge.Parse([value]));

    [Fact]
    public void Several_headers_are_read_in_order_and_the_first_token_wins() =>
        Assert.Equal(new NegotiateChallenge(true, "second"), NegotiateChallenge.Parse(["Basic realm=\"r\"", "Negotiate", "Negotiate second", "Negotiate third"]));

    [Fact]
    public void A_token_that_is_not_base64_gives_no_bytes() =>
        Assert.Null(new NegotiateChallenge(true, "abc").TokenBytes());
}
