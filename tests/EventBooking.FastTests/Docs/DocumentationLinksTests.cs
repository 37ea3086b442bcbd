using System.Text.RegularExpressions;

namespace EventBooking.FastTests.Docs;

/// <summary>The README and docs/ send a newcomer only to files and headings that exist.</summary>
public sealed partial class DocumentationLinksTests
{
    private static readonly string Root = RepositoryRoot();

    public static TheoryData<string> Documents()
    {
        var documents = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md").Prepend(Path.Combine(Root, "README.md")))
        {
            documents.Add(Path.GetRelativePath(Root, file));
        }

        return documents;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_relative_link_leads_to_a_file_and_heading_that_exist(string document)
    {
        var path = Path.Combine(Root, document);
        var broken = new List<string>();
        foreach (Match link in Link().Matches(WithoutCode(File.ReadAllText(path))))
        {
            var target = link.Groups["target"].Value;
            if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }

            var (file, anchor) = target.Split('#', 2) is [var f, var a] ? (f, a) : (target, null);
            var resolved = file.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, file));
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                broken.Add($"{target}: no such file");
            }
            else if (anchor is not null && !Anchors(resolved).Contains(anchor))
            {
                broken.Add($"{target}: no heading #{anchor}");
            }
        }

        Assert.True(broken.Count == 0, string.Join(Environment.NewLine, broken));
    }

    [Fact]
    public void The_readme_fits_on_a_few_screens()
    {
        Assert.InRange(File.ReadAllLines(Path.Combine(Root, "README.md")).Length, 1, 150);
    }

    /// <summary>GitHub's anchors: the heading in lower case, punctuation dropped, spaces as dashes.</summary>
    private static HashSet<string> Anchors(string markdown) =>
        [.. Heading().Matches(WithoutCode(File.ReadAllText(markdown)))
            .Select(h => Regex.Replace(h.Groups["text"].Value.Trim().ToLowerInvariant(), @"[^\p{L}\p{N} _-]", string.Empty).Replace(' ', '-'))];

    private static string WithoutCode(string markdown) => Fenced().Replace(markdown, string.Empty);

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder.FullName, "EventBooking.sln")))
        {
            folder = folder.Parent ?? throw new InvalidOperationException("the tests run inside the repository");
        }

        return folder.FullName;
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fenced();
}
