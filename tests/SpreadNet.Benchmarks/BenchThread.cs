namespace SpreadNet.Benchmarks;

/// <summary>Dedicated, named background threads whose end is observable as a task.</summary>
internal static class BenchThread
{
    public static Task Start(string name, Action body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                body();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        { IsBackground = true, Name = name }.Start();
        return done.Task;
    }
}
