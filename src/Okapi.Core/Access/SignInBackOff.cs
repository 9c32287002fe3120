namespace Okapi.Core.Access;

/// <summary>
/// The failed sign-ins of one email from one client address, and when that client may try that email again. The
/// first few failures cost nothing (typos happen); after that each failure doubles the wait, up to a ceiling. Only
/// the client that failed waits: the account is never locked, so a stranger guessing an email from their own address
/// cannot keep its owner out.
/// </summary>
public readonly record struct SignInBackOff(int Failures, DateTimeOffset LastFailure)
{
    /// <summary>Failures without any wait.</summary>
    public const int FreeFailures = 10;

    /// <summary>The longest wait between two attempts.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(15);

    /// <summary>After this long without a failure the count starts again, as if the client had never failed.</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromDays(1);

    /// <summary>The count after one more failure at <paramref name="now"/>.</summary>
    public SignInBackOff Failed(DateTimeOffset now) => new(IsForgotten(now) ? 1 : Failures + 1, now);

    /// <summary>How long the client must still wait at <paramref name="now"/> before its next attempt; zero when it may try now.</summary>
    public TimeSpan WaitAt(DateTimeOffset now)
    {
        if (Failures < FreeFailures || IsForgotten(now))
        {
            return TimeSpan.Zero;
        }

        var until = LastFailure + Wait(Failures);
        return until > now ? until - now : TimeSpan.Zero;
    }

    /// <summary>Whether the failures are old enough to be dropped.</summary>
    public bool IsForgotten(DateTimeOffset now) => now - LastFailure >= Memory;

    /// <summary>One second after the last free failure, doubling with each further failure, at most <see cref="LongestWait"/>.</summary>
    public static TimeSpan Wait(int failures)
    {
        var doublings = failures - FreeFailures;
        if (doublings < 0)
        {
            return TimeSpan.Zero;
        }

        // 2^10 seconds is already past the ceiling; the cap keeps the shift from overflowing.
        var seconds = 1L << Math.Min(doublings, 10);
        return TimeSpan.FromSeconds(Math.Min(seconds, LongestWait.TotalSeconds));
    }
}
