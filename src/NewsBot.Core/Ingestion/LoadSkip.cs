namespace NewsBot.Core.Ingestion;

/// <summary>
/// Input that was not loaded: the file (full path), the 1-based line when the problem is on one line, and a short
/// sentence saying why (<c>"malformed JSON: ..."</c>, <c>"binary file"</c>, <c>"empty"</c>, ...).
/// </summary>
public sealed record LoadSkip(string File, int? Line, string Reason);
