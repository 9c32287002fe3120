using Microsoft.EntityFrameworkCore;
using Okapi.Core.Alerts;
using Okapi.Core.Okrs;
using Okapi.Core.Rhythm;
using Okapi.Data;
using Okapi.Web.Features.Inbox;
using Okapi.Web.Features.Notifications;

namespace Okapi.Web.Features.Okrs;

/// <summary>
/// Resolves the @mentions of a comment to people and tells each newly mentioned person, in the caller's unit of work
/// (the caller saves, then wakes the outbox): an in-app notification, an email and an inbox item. Nobody hears about
/// their own comment, and nobody hears about an objective they may not see or that is still a quiet draft.
/// </summary>
public sealed class MentionNotifier(OkapiDbContext db, Outbox outbox, InboxWriter inbox, Audience audience)
{
    public const int ExcerptLength = 500;

    /// <summary>The people of the organisation the text mentions, each once, in order of first mention.</summary>
    public async Task<List<Guid>> ResolveAsync(string? text, CancellationToken ct)
    {
        var mentions = Mentions.Parse(text);
        if (mentions.Count == 0)
        {
            return [];
        }

        var ids = mentions.Where(m => m.PersonId is not null).Select(m => m.PersonId!.Value).Distinct().ToList();
        var emails = mentions.Where(m => m.Email is not null).Select(m => m.Email!).Distinct().ToList();
        var known = (await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct)).ToHashSet();
        var byEmail = emails.Count == 0 ? [] : (await db.People.AsNoTracking().Where(p => emails.Contains(p.Email.ToLower()))
            .Select(p => new { p.Id, p.Email }).ToListAsync(ct)).GroupBy(p => p.Email.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First().Id);
        return [.. Mentions.Resolve(mentions, known, byEmail)];
    }

    /// <summary>Tells <paramref name="mentioned"/> (those the comment newly mentions) about it; returns who was told.</summary>
    public async Task<IReadOnlyList<Guid>> NotifyAsync(Comment comment, Objective objective, IReadOnlyCollection<Guid> mentioned, string authorName, CancellationToken ct)
    {
        var candidates = mentioned.Where(p => p != comment.AuthorId).ToList();
        var told = await audience.WhoMayHearAsync(objective, candidates, ct);
        if (told.Count == 0)
        {
            return [];
        }

        var people = await db.People.AsNoTracking().Where(p => told.Contains(p.Id)).ToListAsync(ct);
        var title = $"{authorName} mentioned you on “{objective.Title}”";
        var plain = Mentions.ToPlainText(comment.Body);
        var excerpt = plain.Length > ExcerptLength ? plain[..ExcerptLength] + "…" : plain;
        var link = $"/objectives/{objective.Id}#comment-{comment.Id}";
        foreach (var person in people)
        {
            outbox.QueueForPerson(person, NotificationEvent.Mention, title, excerpt, link, email: true);
            await inbox.AddAsync(person.Id, InboxItemKind.Mention, comment.Id, title, excerpt, link, ct);
        }

        return people.Select(p => p.Id).ToList();
    }
}
