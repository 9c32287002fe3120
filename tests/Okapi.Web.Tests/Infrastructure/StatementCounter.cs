using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Okapi.Web.Tests.Infrastructure;

/// <summary>
/// Records the SQL statements run on behalf of requests that carry <see cref="Header"/>, keyed by its value, so that a
/// test can pin how many statements a page or an endpoint costs. Background work (no request) is never counted.
/// </summary>
public sealed class StatementCounter(IHttpContextAccessor http) : DbCommandInterceptor
{
    public const string Header = "X-Test-Statements";

    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _statements = new();

    /// <summary>The statements recorded for requests that carried <paramref name="key"/>, in the order they ran.</summary>
    public IReadOnlyList<string> Of(string key) => _statements.TryGetValue(key, out var queue) ? [.. queue] : [];

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        Record(command, result);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Record(command, result));

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        Record(command, result);

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Record(command, result));

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        Record(command, result);

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Record(command, result));

    private T Record<T>(DbCommand command, T result)
    {
        if (http.HttpContext?.Request.Headers[Header].ToString() is { Length: > 0 } key)
        {
            _statements.GetOrAdd(key, _ => new ConcurrentQueue<string>()).Enqueue(command.CommandText);
        }

        return result;
    }
}
