namespace NewsBot.Core.Ingestion;

/// <summary>What an ingest run did. <see cref="Cancelled"/> runs report what was committed before the stop.</summary>
public sealed record IngestionReport
{
    public int Added { get; init; }

    public int Updated { get; init; }

    public int Unchanged { get; init; }

    public int Pruned { get; init; }

    /// <summary>Passages written (of added and updated articles).</summary>
    public int Passages { get; init; }

    public IReadOnlyList<LoadSkip> Skipped { get; init; } = [];

    /// <summary>Articles that were indexed but with something missing (a date that could not be read), with why.</summary>
    public IReadOnlyList<LoadSkip> Warnings { get; init; } = [];

    public TimeSpan Elapsed { get; init; }

    public bool Cancelled { get; init; }

    public int Articles => Added + Updated + Unchanged;

    public double ArticlesPerSecond => Elapsed.TotalSeconds > 0 ? Articles / Elapsed.TotalSeconds : 0;
}
