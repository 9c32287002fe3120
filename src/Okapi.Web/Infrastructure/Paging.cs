using Microsoft.EntityFrameworkCore;

namespace Okapi.Web.Infrastructure;

/// <summary>One page of a list, with the total count for pagers.</summary>
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
        var total = await query.CountAsync(ct);
        var items = await query.Skip((Number - 1) * Size).Take(Size).ToListAsync(ct);
        return (items, total);
    }
}
