using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Notifications;

/// <summary>Okapi on SQLite with <c>Okapi:Smtp</c> pointing at a real SMTP listener on a free loopback port.</summary>
public sealed class NotifySqliteApp : SqliteApp
{
    protected override bool WithSmtp => true;
}

public sealed class NotifyPostgresApp : PostgresApp
{
    protected override bool WithSmtp => true;
}
