using Microsoft.EntityFrameworkCore;

namespace Okapi.Web.Infrastructure;

/// <summary>One page of a list, with the total count for pagers.</summary>
/// <param name="Items">The page's items.</param>
/// <param name="PageNumber">The page's number, from 1.</param>
/// <param name="PageSize">How many items a page holds, at most 200.</param>
/// <param name="Total">How many items the whole list holds.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total);

/// <summary>Query-string paging: <c>?page=1&amp;pageSize=50</c>, at most 200 a page.</summary>
public readonly record struct PageRequest(int? Page, int? PageSize)
{
    public const int MaxPageSize = 200;

    public const int MaxPage = 1_000_000;

    public int Number => Math.Clamp(Page ?? 1, 1, MaxPage);
    public int Size => Math.Clamp(PageSize ?? 50, 1, MaxPageSize);

    public async Task<(List<T> Items, int Total)> ApplyAsync<T>(IQueryable<T> query, CancellationToken ct)
    {
        var skip = (Number - 1) * Size;
        var items = await query.Skip(skip).Take(Size).ToListAsync(ct);

        // A page that is not full ends the list, so it tells the total without a second statement; only a full page
        // or one past the end needs the count.
        var total = items.Count < Size && (items.Count > 0 || skip == 0) ? skip + items.Count : await query.CountAsync(ct);
        return (items, total);
    }
}
