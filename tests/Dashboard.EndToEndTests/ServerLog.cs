using Microsoft.Extensions.Logging;

namespace Dashboard.EndToEndTests;

/// <summary>
/// The app's warnings and errors during a browser test run, in <c>artifacts/server-log.txt</c>: a page that shows
/// "An unhandled error has occurred" in a screenshot or a Playwright failure has its exception here (the circuit's
/// error goes to the server's log, not to the browser). The test runner does not show the app's console.
/// </summary>
internal sealed class ServerLog : ILoggerProvider
{
    private readonly string _path;
    private readonly Lock _lock = new();

    public ServerLog(string path)
    {
        _path = path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(string entry)
    {
        lock (_lock)
        {
            File.AppendAllText(_path, entry + Environment.NewLine);
        }
    }

    private sealed class Logger(ServerLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Write($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}" + (exception is null ? "" : Environment.NewLine + exception));
            }
        }
    }
}
