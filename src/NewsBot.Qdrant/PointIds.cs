using System.Security.Cryptography;
using System.Text;

namespace NewsBot.Qdrant;

/// <summary>
/// Qdrant accepts only unsigned integers and UUIDs as point ids, so a passage id (<c>article#3</c>) becomes a name-based
/// UUID (RFC 4122 version 5): the same passage always lands on the same point, and re-ingesting overwrites, never duplicates.
/// </summary>
internal static class PointIds
{
    /// <summary>NewsBot's namespace for passage ids. Never change it: every stored point id is derived from it.</summary>
    public static readonly Guid PassageNamespace = new("5d0c3a5e-7a3b-4c9e-9a47-0f6e2b8d1c21");

    public static string ForPassage(string passageId) => NameBased(PassageNamespace, passageId).ToString("D");

    public static Guid NameBased(Guid @namespace, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        @namespace.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);
#pragma warning disable CA5350 // SHA-1 is what RFC 4122 specifies for version 5; this is an identifier, not a signature.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        var bytes = hash.AsSpan(0, 16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
