using System.Text.Json.Serialization;

namespace NewsBot.Storage.Sqlite;

/// <summary>The authors column holds a JSON array of names.</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class IndexJsonContext : JsonSerializerContext;
