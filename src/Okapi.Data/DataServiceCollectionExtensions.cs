using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Okapi.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="OkapiDbContext"/> on the configured provider, one pooled context per scope. Interceptors
    /// registered as <see cref="IInterceptor"/> singletons by the host are added to every context.
    /// </summary>
    public static IServiceCollection AddOkapiData(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = options.ResolveConnectionString();
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        switch (options.Provider)
        {
            case DatabaseProvider.Postgres:
                AddPooledContext<PostgresOkapiDbContext>(services, o => ConfigurePostgres(o, connectionString), AutoTransactionBehavior.WhenNeeded);
                break;
            default:
                SqliteFiles.Prepare(connectionString);
                // Every save in a transaction, so that SqliteWriteGate lines up single-statement saves too.
                AddPooledContext<SqliteOkapiDbContext>(services, o => ConfigureSqlite(o, connectionString), AutoTransactionBehavior.Always);
                services.AddHostedService<SqliteStatistics>();
                break;
        }

        return services;
    }

    // Creating a context and its services was a tenth of a small request's cost; a pool pays it once per context. The
    // scope rents from the pool itself rather than through AddDbContextPool so that every rent starts from a context
    // that sees no organisation and records no actor. One registration only: the scope disposes whatever a factory
    // registration returns, and a second alias of the same context returned it to the pool twice, the second time
    // while another request already held it.
    private static void AddPooledContext<TContext>(IServiceCollection services, Func<DbContextOptionsBuilder, DbContextOptionsBuilder> configure,
        AutoTransactionBehavior saves)
        where TContext : OkapiDbContext
    {
        services.AddPooledDbContextFactory<TContext>((sp, o) => configure(o).AddInterceptors(sp.GetServices<IInterceptor>()));
        services.AddScoped<OkapiDbContext>(sp =>
        {
            var context = sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext();
            context.ForgetCaller();
            context.Database.AutoTransactionBehavior = saves;
            return context;
        });
    }

    // A list of ids goes to the database as one JSON (SQLite) or array (PostgreSQL) parameter. EF Core's default of one
    // parameter per id makes thousands of parameters, which SQLite looks up by name one after the other.
    internal static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder o, string connectionString) =>
        o.UseSqlite(connectionString, s => s.MigrationsAssembly(typeof(OkapiDbContext).Assembly.FullName)
                .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
            .AddInterceptors(new SqlitePragmas(), new SqliteWriteGate());

    internal static DbContextOptionsBuilder ConfigurePostgres(DbContextOptionsBuilder o, string connectionString) =>
        o.UseNpgsql(connectionString, s => s.MigrationsAssembly(typeof(OkapiDbContext).Assembly.FullName)
            .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without starting the app.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteOkapiDbContext>
{
    public SqliteOkapiDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteOkapiDbContext>();
        DataServiceCollectionExtensions.ConfigureSqlite(builder, "Data Source=design-time.db");
        return new SqliteOkapiDbContext(builder.Options);
    }
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL context without starting the app or a server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresOkapiDbContext>
{
    public PostgresOkapiDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgresOkapiDbContext>();
        DataServiceCollectionExtensions.ConfigurePostgres(builder, "Host=localhost;Database=okapi_design");
        return new PostgresOkapiDbContext(builder.Options);
    }
}
