using ActorAuth.Protocol;
using ActorAuth.Security;

namespace ActorAuth.Server.Tests;

public sealed class TeardownReasonTests
{
    [Theory]
    [InlineData(TeardownReason.ReceiveTimeout, "receive-timeout")]
    [InlineData(TeardownReason.FrameTooLarge, "frame-too-large")]
    [InlineData(TeardownReason.ProtectionRequirementsNotMet, "protection-requirements-not-met")]
    [InlineData(TeardownReason.Closed, "closed")]
    public void Reason_codes_are_kebab_case(TeardownReason reason, string code) => Assert.Equal(code, reason.Code());

    [Fact]
    public void Every_reason_has_a_distinct_code()
    {
        string[] codes = Enum.GetValues<TeardownReason>().Select(r => r.Code()).ToArray();

        Assert.Equal(codes.Length, codes.Distinct().Count());
    }

    [Fact]
    public void Every_failing_package_status_maps_to_a_reason()
    {
        foreach (SecurityStatusCode code in Enum.GetValues<SecurityStatusCode>().Where(c => c >= SecurityStatusCode.Failure))
        {
            Assert.True(Enum.IsDefined(TeardownReasons.FromSecurityStatus(code)), code.ToString());
        }
    }

    [Fact]
    public void Framing_errors_map_to_their_reasons()
    {
        Assert.Equal(TeardownReason.EmptyFrame, TeardownReasons.FromFrameStatus(FrameStatus.EmptyFrame));
        Assert.Equal(TeardownReason.FrameTooLarge, TeardownReasons.FromFrameStatus(FrameStatus.FrameTooLarge));
    }
}
