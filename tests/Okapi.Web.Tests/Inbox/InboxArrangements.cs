using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Access;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Inbox;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Inbox;

/// <summary>A person of the test organisation with a client that reads and writes as them.</summary>
public sealed record Someone(PersonDto Person, HttpClient Client)
{
    public Guid Id => Person.Id;

    public string Mention => $"@[{Person.Name}](person:{Person.Id})";
}

public static class InboxArrangements
{
    public static async Task<Someone> SomeoneAsync(this OkapiApp app, string name, Role role = Role.Member)
    {
        var person = await app.Admin.CreatePersonAsync(name, role);
        return new Someone(person, await app.ClientForAsync(person.Id, TokenScope.Read, TokenScope.Write));
    }

    public static Task<InboxList> InboxAsync(this Someone someone, string query = "") => someone.Client.GetAsync<InboxList>($"/api/v1/inbox{query}");

    public static async Task<IReadOnlyList<NotificationDto>> NotificationsAsync(this Someone someone) =>
        (await someone.Client.GetAsync<NotificationList>("/api/v1/notifications")).Items;

    /// <summary>Writes an inbox item as the reminder job does, through the shared <see cref="InboxWriter"/>.</summary>
    public static async Task WriteInboxItemAsync(this OkapiApp app, Guid personId, Okapi.Core.Rhythm.InboxItemKind kind, Guid subjectId, string title)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        db.OrganisationId = app.OrganisationId;
        await scope.ServiceProvider.GetRequiredService<InboxWriter>().AddAsync(personId, kind, subjectId, title, null, "/", CancellationToken.None);
        await db.SaveChangesAsync();
    }
}
