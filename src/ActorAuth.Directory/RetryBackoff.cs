namespace ActorAuth.Directory;

/// <summary>Exponential backoff: the delay before retry <c>n</c> (1-based) is initial × 2^(n−1), capped at max.</summary>
internal static class RetryBackoff
{
    public static TimeSpan DelayBefore(int retry, TimeSpan initial, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        // Doubling stops at the cap, so the multiplication cannot overflow however many retries there are.
        var delay = initial;
        for (var i = 1; i < retry && delay < max; i++)
        {
            delay *= 2;
        }

        return delay < max ? delay : max;
    }
}
