using System.Text;
using Okapi.Web.Infrastructure.Instances;

namespace Okapi.Web.Tests.ScaleOut;

/// <summary>A notice always fits PostgreSQL's 8000-byte payload: what does not fit becomes a broader notice, never a failed NOTIFY.</summary>
public sealed class ChangeNoticeTests
{
    [Fact]
    public void ANoticeNamingFewIdsCarriesThemAsTheyAre()
    {
        var notice = new ChangeNotice { From = Guid.NewGuid(), OrganisationId = Guid.NewGuid(), Rules = true, Okrs = [Guid.NewGuid()], Kpis = [Guid.NewGuid()] };

        Assert.Equal(notice, ChangeNotice.FromPayload(notice.ToPayload()), new NoticeComparer());
    }

    [Fact]
    public void TooManyOkrsOrValuesBecomeEveryPageOfTheOrganisationAndTooManyKpisEverything()
    {
        var many = Enumerable.Range(0, 5_000).Select(_ => Guid.NewGuid()).ToList();
        var pages = new ChangeNotice { From = Guid.NewGuid(), OrganisationId = Guid.NewGuid(), Values = many };
        var kpis = pages with { Values = [], Kpis = many };

        var pagesPayload = pages.ToPayload();
        var kpisPayload = kpis.ToPayload();

        Assert.True(Encoding.UTF8.GetByteCount(pagesPayload) < 8000);
        Assert.True(Encoding.UTF8.GetByteCount(kpisPayload) < 8000);
        var readPages = ChangeNotice.FromPayload(pagesPayload)!;
        Assert.Equal((true, false, 0, pages.OrganisationId), (readPages.AllPages, readPages.Everything, readPages.Values.Count, readPages.OrganisationId));
        var readKpis = ChangeNotice.FromPayload(kpisPayload)!;
        Assert.Equal((true, 0, kpis.OrganisationId), (readKpis.Everything, readKpis.Kpis.Count, readKpis.OrganisationId));
    }

    [Fact]
    public void APayloadThatIsNoNoticeIsIgnored()
    {
        Assert.Null(ChangeNotice.FromPayload("not json"));
    }

    private sealed class NoticeComparer : IEqualityComparer<ChangeNotice?>
    {
        public bool Equals(ChangeNotice? x, ChangeNotice? y) =>
            x is not null && y is not null && x.From == y.From && x.OrganisationId == y.OrganisationId && x.Callers == y.Callers && x.Rules == y.Rules &&
            x.Kpis.SequenceEqual(y.Kpis) && x.Values.SequenceEqual(y.Values) && x.Okrs.SequenceEqual(y.Okrs) && x.AllPages == y.AllPages && x.Everything == y.Everything;

        public int GetHashCode(ChangeNotice? obj) => 0;
    }
}
