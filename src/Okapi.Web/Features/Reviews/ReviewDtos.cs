using System.ComponentModel.DataAnnotations;
using Okapi.Core.Okrs;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Reviews;

/// <summary>Send a draft objective to <c>reviewerId</c>: a lead of its owner team, of a team its owner person is in, or an admin.</summary>
/// <param name="ReviewerId">The person asked to review: a lead of the owner team or of a team the owner person is in, or an admin, who may see the objective; never the caller.</param>
/// <param name="Message">What the reviewer should look at, in Markdown; at most 10,000 characters.</param>
public sealed record ReviewRequest(Guid ReviewerId, [property: StringLength(ReviewService.MaxTextLength)] string? Message);

/// <summary>The reviewer's note (Markdown); required when requesting changes.</summary>
/// <param name="Note">The reviewer's note in Markdown, at most 10,000 characters; required when requesting changes, optional when acknowledging.</param>
public sealed record ReviewAnswerRequest([property: StringLength(ReviewService.MaxTextLength)] string? Note);

/// <summary><c>reviewer</c> is <c>me</c> or a person's id.</summary>
public sealed record ReviewFilter(string? Reviewer, Guid? Objective, EnumQuery<ReviewState>? State);

/// <summary>Someone who may review an objective.</summary>
/// <param name="PersonId">The person.</param>
/// <param name="Name">Their name.</param>
public sealed record ReviewerDto(Guid PersonId, string Name);
