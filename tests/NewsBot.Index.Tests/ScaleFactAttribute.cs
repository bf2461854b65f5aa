namespace NewsBot.Index.Tests;

/// <summary>A test that runs only when <c>NEWSBOT_SCALE=1</c>: it takes minutes and a few GB of disk.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ScaleFactAttribute : FactAttribute
{
    public ScaleFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("NEWSBOT_SCALE") != "1")
            Skip = "Scale test: set NEWSBOT_SCALE=1 to run it.";
    }
}
