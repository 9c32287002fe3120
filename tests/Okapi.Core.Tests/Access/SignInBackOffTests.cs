using Okapi.Core.Access;

namespace Okapi.Core.Tests.Access;

public sealed class SignInBackOffTests
{
    private static readonly DateTimeOffset Now = new(2027, 2, 15, 12, 0, 0, TimeSpan.Zero);

    private static SignInBackOff FailedTimes(int times)
    {
        var backOff = new SignInBackOff();
        for (var i = 0; i < times; i++)
        {
            backOff = backOff.Failed(Now);
        }

        return backOff;
    }

    [Fact]
    public void TheFirstFailuresCostNoWait()
    {
        for (var failures = 0; failures < SignInBackOff.FreeFailures; failures++)
        {
            Assert.Equal(TimeSpan.Zero, FailedTimes(failures).WaitAt(Now));
        }
    }

    [Fact]
    public void EachFurtherFailureDoublesTheWaitUpToTheCeiling()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), FailedTimes(SignInBackOff.FreeFailures).WaitAt(Now));
        Assert.Equal(TimeSpan.FromSeconds(2), FailedTimes(SignInBackOff.FreeFailures + 1).WaitAt(Now));
        Assert.Equal(TimeSpan.FromSeconds(4), FailedTimes(SignInBackOff.FreeFailures + 2).WaitAt(Now));
        Assert.Equal(SignInBackOff.LongestWait, FailedTimes(SignInBackOff.FreeFailures + 30).WaitAt(Now));
        Assert.Equal(SignInBackOff.LongestWait, SignInBackOff.Wait(int.MaxValue));
    }

    [Fact]
    public void TheWaitRunsOutWithTime()
    {
        var backOff = FailedTimes(SignInBackOff.FreeFailures + 2);
        Assert.Equal(TimeSpan.FromSeconds(1), backOff.WaitAt(Now.AddSeconds(3)));
        Assert.Equal(TimeSpan.Zero, backOff.WaitAt(Now.AddSeconds(4)));
    }

    [Fact]
    public void FailuresAreForgottenAfterADayWithoutAny()
    {
        var backOff = FailedTimes(SignInBackOff.FreeFailures + 5);
        var later = Now + SignInBackOff.Memory;
        Assert.True(backOff.IsForgotten(later));
        Assert.Equal(TimeSpan.Zero, backOff.WaitAt(later));
        Assert.Equal(1, backOff.Failed(later).Failures);
    }
}
