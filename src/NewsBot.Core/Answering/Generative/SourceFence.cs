namespace NewsBot.Core.Answering.Generative;

/// <summary>
/// The answer prompt fences each source between <c>⟦SOURCE n⟧</c> and <c>⟦END SOURCE n⟧</c> lines. Article text is
/// untrusted, so the fence brackets are replaced in it by plain ones: no article can end its fence early and write
/// text that looks like it came from outside the sources.
/// </summary>
internal static class SourceFence
{
    public static string Neutralize(string? text) =>
        string.IsNullOrEmpty(text) ? "" : text.Replace('⟦', '[').Replace('⟧', ']');
}
