using Okapi.Core.Okrs;

namespace Okapi.Core.Tests.Inbox;

public class MentionTests
{
    private static readonly Guid Ann = Guid.Parse("01900000-0000-7000-8000-000000000001");
    private static readonly Guid Bob = Guid.Parse("01900000-0000-7000-8000-000000000002");

    [Fact]
    public void AnIdMentionNamesThePersonWhateverItsLabel()
    {
        var mention = Assert.Single(Mentions.Parse($"Thanks @[Ann Lee](person:{Ann}) for the numbers"));
        Assert.Equal((Ann, (string?)null, 7), (mention.PersonId!.Value, mention.Email, mention.Index));
    }

    [Fact]
    public void AnEmailMentionIsLowerCasedAndLosesTheFullStopThatEndsTheSentence()
    {
        var mention = Assert.Single(Mentions.Parse("Can you check this, @Ann.Lee@Example.com."));
        Assert.Equal("ann.lee@example.com", mention.Email);
    }

    [Theory]
    [InlineData("mail bob@ann@example.com")]
    [InlineData("an address ann@example.com without the at sign")]
    [InlineData("in code `@ann@example.com` is an example")]
    [InlineData("```\n@ann@example.com\n```")]
    [InlineData("@[Ann](person:not-a-guid)")]
    public void TextThatIsNotAMentionMentionsNobody(string text) => Assert.Empty(Mentions.Parse(text));

    [Fact]
    public void MentionsComeInOrderAndBothSpellingsMix()
    {
        var mentions = Mentions.Parse($"@bob@example.com and (@[Ann](person:{Ann})) and @bob@example.com");
        Assert.Equal([null, Ann, null], mentions.Select(m => m.PersonId));
        Assert.Equal(["bob@example.com", null, "bob@example.com"], mentions.Select(m => m.Email));
    }

    [Fact]
    public void ResolvingKeepsKnownPeopleOnceAndDropsStrangers()
    {
        var stranger = Guid.Parse("01900000-0000-7000-8000-0000000000ff");
        var mentions = Mentions.Parse($"@[A](person:{Ann}) @bob@example.com @[A again](person:{Ann}) @[X](person:{stranger}) @nobody@example.com");
        var people = Mentions.Resolve(mentions, new HashSet<Guid> { Ann, Bob }, new Dictionary<string, Guid> { ["bob@example.com"] = Bob });
        Assert.Equal([Ann, Bob], people);
    }

    [Fact]
    public void AnEditNotifiesOnlyThePeopleItAdds()
    {
        var third = Guid.Parse("01900000-0000-7000-8000-000000000003");
        Assert.Equal([third], Mentions.Added([Ann, Bob], [Bob, third, Ann]));
        Assert.Empty(Mentions.Added([Ann, Bob], [Ann]));
    }

    [Fact]
    public void MarkdownShowsKnownMentionsAsLinksWithTheirCurrentNameAndLeavesUnknownOnesAlone()
    {
        var text = $"Hi @[old name](person:{Ann}) and @who@example.com!";
        var markdown = Mentions.ToMarkdown(text, m => m.PersonId == Ann ? (Ann, "Ann *Lee*") : null);
        Assert.Equal($"Hi [**@Ann \\*Lee\\***](/okrs/person/{Ann}) and @who@example.com!", markdown);
    }

    [Fact]
    public void ThePickersSpellingParsesBackToThePerson()
    {
        var written = Mentions.Of(Ann, "Ann [the lead]\nLee");
        Assert.Equal($"@[Ann (the lead) Lee](person:{Ann})", written);
        Assert.Equal(Ann, Assert.Single(Mentions.Parse(written)).PersonId);
    }

    [Fact]
    public void PlainTextShowsIdMentionsByTheirLabel() =>
        Assert.Equal("Over to @Ann Lee and @bob@example.com", Mentions.ToPlainText($"Over to @[Ann Lee](person:{Ann}) and @bob@example.com"));

    [Fact]
    public void APickedNameInTheCommentBoxIsStoredAsAnIdMentionAndTheLongerNameWins()
    {
        var stored = Mentions.FromPicked("@Ann Lee, could you and @Ann check this?", [(Ann, "Ann"), (Bob, "Ann Lee")]);
        Assert.Equal($"@[Ann Lee](person:{Bob}), could you and @[Ann](person:{Ann}) check this?", stored);
        Assert.Equal([Bob, Ann], Mentions.Parse(stored).Select(m => m.PersonId));
    }

    [Theory]
    [InlineData("@Annabel is someone else")]
    [InlineData("mail bob@Ann later")]
    [InlineData("in code `@Ann` is an example")]
    [InlineData("@An was edited after the pick")]
    public void ANameThatIsNotThePickedOneStaysPlainText(string text) => Assert.Equal(text, Mentions.FromPicked(text, [(Ann, "Ann")]));

    [Theory]
    [InlineData("@", "")]
    [InlineData("Thanks @An", "An")]
    [InlineData("Thanks\n@Ann Le", "Ann Le")]
    [InlineData("Thanks @Ann Lee ", null)]
    [InlineData("write to @ann@example", null)]
    [InlineData("mail bob@an", null)]
    [InlineData("no mention", null)]
    public void WhatFollowsAnAtBeingTypedAtTheEndIsWhatThePickerLooksFor(string text, string? query) => Assert.Equal(query, Mentions.Typing(text));
}
