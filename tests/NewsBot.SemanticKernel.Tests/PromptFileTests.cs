using Microsoft.Extensions.AI;
using NewsBot.Core.Answering.Prompts;
using NewsBot.TestSupport;

namespace NewsBot.SemanticKernel.Tests;

public sealed class PromptFileTests
{
    /// <summary>A value for every variable the repository's prompts declare; a new variable needs one here.</summary>
    private static readonly Dictionary<string, object?> Samples = new()
    {
        ["question"] = "SAMPLE-QUESTION about the metro?",
        ["sources"] = new List<Dictionary<string, object?>>
        {
            new() { ["number"] = 1, ["title"] = "SAMPLE-TITLE", ["publisher"] = "SAMPLE-PUBLISHER", ["date"] = "2024-01-02", ["url"] = "https://example.com/a", ["text"] = "SAMPLE-TEXT of a source." },
        },
        ["history"] = new List<Dictionary<string, object?>>
        {
            new() { ["question"] = "SAMPLE-EARLIER-QUESTION?", ["answer"] = "SAMPLE-EARLIER-ANSWER." },
        },
        ["refusal"] = "SAMPLE-REFUSAL.",
        ["max_sentences"] = 3,
    };

    public static TheoryData<string> PromptFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Prompts, "*.y*ml").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void The_prompts_folder_has_the_answer_and_rewrite_prompts()
    {
        var library = PromptLibrary.Load(RepositoryPaths.Prompts);

        Assert.True(library.Contains("answer"));
        Assert.True(library.Contains("rewrite_question"));
    }

    [Theory]
    [MemberData(nameof(PromptFiles))]
    public void Every_prompt_file_is_in_Semantic_Kernel_format(string file)
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryPaths.Prompts, file));

        var template = PromptTemplate.Parse(yaml, file);

        Assert.Matches("^[A-Za-z0-9_]+$", template.Name); // Semantic Kernel's rule for function names
        Assert.False(string.IsNullOrWhiteSpace(template.Description));
        Assert.Contains("template_format: handlebars", yaml, StringComparison.Ordinal);
        Assert.All(template.InputVariables, v => Assert.False(string.IsNullOrWhiteSpace(v.Description)));
        Assert.NotNull(template.ExecutionSettings.Temperature);
        Assert.NotNull(template.ExecutionSettings.MaxTokens);
    }

    [Theory]
    [MemberData(nameof(PromptFiles))]
    public void Every_prompt_file_declares_every_variable_its_template_uses(string file)
    {
        var template = PromptTemplate.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Prompts, file)), file);
        var declared = template.InputVariables.Select(v => v.Name).ToHashSet();

        Assert.NotEmpty(template.ReferencedVariables);
        Assert.Subset(declared, template.ReferencedVariables.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(PromptFiles))]
    public void Every_prompt_file_renders_into_system_and_user_messages(string file)
    {
        var library = PromptLibrary.Load(RepositoryPaths.Prompts);
        var template = library.Get(Path.GetFileNameWithoutExtension(file));
        var arguments = template.InputVariables.ToDictionary(v => v.Name, v => Samples[v.Name]);

        var prompt = library.Render(template.Name, arguments);

        Assert.Equal([ChatRole.System, ChatRole.User], prompt.Messages.Select(m => m.Role));
        var all = string.Join("\n", prompt.Messages.Select(m => m.Text));
        Assert.DoesNotContain("{{", all, StringComparison.Ordinal);
        Assert.DoesNotContain("<message", all, StringComparison.Ordinal);
        Assert.Contains("SAMPLE-QUESTION about the metro?", prompt.Messages[^1].Text, StringComparison.Ordinal);
        Assert.Contains("SAMPLE-EARLIER-QUESTION?", all, StringComparison.Ordinal);
        Assert.Equal(template.ExecutionSettings.Temperature, prompt.Options.Temperature);
        Assert.Equal(template.ExecutionSettings.MaxTokens, prompt.Options.MaxOutputTokens);
    }

    [Fact]
    public void The_answer_prompt_fences_and_numbers_every_source()
    {
        var prompt = PromptLibrary.Load(RepositoryPaths.Prompts).Render("answer", Samples);

        var user = prompt.Messages[^1].Text;
        Assert.Contains("⟦SOURCE 1⟧", user, StringComparison.Ordinal);
        Assert.Contains("⟦END SOURCE 1⟧", user, StringComparison.Ordinal);
        Assert.Contains("SAMPLE-TEXT of a source.", user, StringComparison.Ordinal);
        Assert.Contains("untrusted", prompt.SystemText, StringComparison.Ordinal);
        Assert.Contains("SAMPLE-REFUSAL.", prompt.SystemText, StringComparison.Ordinal);
    }
}
