using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Core.Feedback;
using NewsBot.Host.Output;

namespace NewsBot.Host.Commands;

/// <summary><c>newsbot feedback</c>: the 👍/👎 votes readers gave the bot's answers, and their export as evaluation questions.</summary>
internal static class FeedbackCommand
{
    public static Command Create(CommandContext context)
    {
        var since = SinceOption();
        var json = AskCommand.JsonOption("Print one JSON object: store, votes (answer_id, user_id, vote, comment, question, answer, refused, citations, answered_at, index, guild_id, channel_id, voted_at), unreadable.");
        var command = new Command("feedback", "List the 👍/👎 votes readers gave answers in Discord (latest vote per reader and answer, oldest first).") { since, json, Export(context) };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async services =>
        {
            var store = services.GetRequiredService<IFeedbackStore>();
            var listed = await store.ListAsync(CommandContext.ParseDate(parseResult.GetValue(since), "--since"), cancellationToken);
            var output = context.Output;
            if (parseResult.GetValue(json))
            {
                output.Line(CliJsonContext.Serialize(new FeedbackListJson(store.Location, listed.Votes, listed.Unreadable)));
                return CommandContext.Success;
            }
            Unreadable(output, store, listed);
            if (listed.Votes.Count == 0)
            {
                output.Line($"No votes yet in {store.Location}. Readers vote with the 👍/👎 buttons under the bot's answers in Discord.");
                return CommandContext.Success;
            }
            var up = listed.Votes.Count(v => v.Helpful);
            output.Line($"{Count(listed.Votes.Count, "vote")} ({up} up, {listed.Votes.Count - up} down) in {store.Location}");
            output.Line();
            foreach (var vote in listed.Votes)
            {
                var when = vote.VotedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
                var what = vote.Refused ? "refused" : $"{Count(vote.Citations.Count, "citation")}";
                output.Line($"{when}  {(vote.Helpful ? "up  " : "down")}  user {vote.UserId}  answer {vote.AnswerId} ({what})");
                output.Line($"    Q: {Formatting.OneLine(vote.Question, 100)}");
                output.Line($"    A: {Formatting.OneLine(vote.Answer, 100)}");
                if (!string.IsNullOrWhiteSpace(vote.Comment))
                    output.Line($"    comment: {Formatting.OneLine(vote.Comment, 200)}");
            }
            return CommandContext.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Export(CommandContext context)
    {
        var file = new Argument<string>("file") { Description = "The .jsonl file to write (newsbot eval reads it)." };
        var since = SinceOption();
        var force = new Option<bool>("--force") { Description = "Replace the file if it exists (it may hold your review edits)." };
        var command = new Command("export", "Write the votes as evaluation questions for newsbot eval: 👍 as regression questions, 👎 marked \"review\": true.") { file, since, force };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async services =>
        {
            var path = Path.GetFullPath(parseResult.GetValue(file)!);
            if (File.Exists(path) && !parseResult.GetValue(force))
                throw new UsageException($"{path} exists (it may hold questions you have reviewed). Choose another file, or pass --force to replace it.");
            if (Directory.Exists(path))
                throw new UsageException($"{path} is a folder; give a file name such as feedback-eval.jsonl.");
            if (!Directory.Exists(Path.GetDirectoryName(path)))
                throw new UsageException($"The folder {Path.GetDirectoryName(path)} does not exist; create it or write the file somewhere else.");
            var store = services.GetRequiredService<IFeedbackStore>();
            var listed = await store.ListAsync(CommandContext.ParseDate(parseResult.GetValue(since), "--since"), cancellationToken);
            Unreadable(context.Output, store, listed);
            var lines = FeedbackExport.ToEvalLines(listed.Votes);
            // Written beside the target and moved over it, so an interrupted export never leaves half a file.
            var temporary = path + ".tmp";
            await File.WriteAllTextAsync(temporary, string.Concat(lines.Select(l => l.Json + "\n")), new UTF8Encoding(false), cancellationToken);
            File.Move(temporary, path, overwrite: true);
            var review = lines.Count(l => l.Review);
            context.Output.Line($"Wrote {Count(lines.Count, "question")} from {Count(listed.Votes.Count, "vote")} to {path}: {lines.Count - review} to run, {review} marked \"review\": true (from 👎) for you to check.");
            if (lines.Count > 0)
                context.Output.Line($"Run them: newsbot eval {Quote(path)}");
            return CommandContext.Success;
        }, cancellationToken));
        return command;
    }

    private static Option<string?> SinceOption() => new("--since") { Description = "Only votes cast on or after this date (YYYY-MM-DD)." };

    private static void Unreadable(ConsoleOutput output, IFeedbackStore store, FeedbackVotes listed)
    {
        if (listed.Unreadable > 0)
            output.Note($"skipped {Count(listed.Unreadable, "record")} in {store.Location} that could not be read.");
    }

    private static string Count(int n, string noun) => $"{n.ToString(CultureInfo.InvariantCulture)} {noun}{(n == 1 ? "" : "s")}";

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
