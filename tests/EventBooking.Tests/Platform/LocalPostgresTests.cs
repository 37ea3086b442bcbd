using System.Diagnostics;
using Npgsql;

namespace EventBooking.Tests.Platform;

/// <summary>
/// The scale-out shape's local PostgreSQL (scripts/postgres-local.sh) from a clone in a private folder (mode 700, as
/// /root or a mktemp -d folder is): run as root, and as an ordinary user in a folder of their own.
/// </summary>
[Trait("Category", "Postgres")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalPostgresTests
{
    private const string Password = "LocalTestPassword42";
    private static readonly string Script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../scripts/postgres-local.sh"));

    [Theory]
    [InlineData(null)]
    [InlineData("65534")] // nobody
    public async Task The_local_database_server_starts_and_answers_from_a_clone_in_a_private_folder(string? user)
    {
        Assert.True(File.Exists("/usr/lib/postgresql/15/bin/postgres"), "PostgreSQL 15 is missing: ./test.sh installs it");
        Assert.True(user is null || Environment.UserName == "root", "running as another user needs root");
        // Root's private folder: a temporary one inside this clone's own. Another user's: a home of theirs, where they can reach it.
        var clone = user is null
            ? Directory.CreateTempSubdirectory("eventbooking-private-")
            : Directory.CreateDirectory($"/tmp/eventbooking-home-{Guid.NewGuid():N}");
        try
        {
            clone.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, clone.UnixFileMode);
            var data = Directory.CreateDirectory(Path.Combine(clone.FullName, "clone", ".data", "postgres")).FullName;
            // The user's own clone: the script as they have it, in a folder that is theirs alone.
            var script = Path.Combine(Directory.CreateDirectory(Path.Combine(clone.FullName, "clone", "scripts")).FullName, "postgres-local.sh");
            File.Copy(Script, script);
            if (user is not null)
            {
                Run("chown", "-R", $"{user}:{user}", clone.FullName);
            }

            var port = Ports.Free();
            var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
            using var server = Start(user, script, data, port, output);
            try
            {
                var account = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
                await Eventually.SucceedsAsync(async () =>
                {
                    await using var connection = new NpgsqlConnection($"{account};Password={Password}");
                    await connection.OpenAsync();
                    await using var query = new NpgsqlCommand("SELECT 1", connection);
                    return (int)(await query.ExecuteScalarAsync())!;
                }, TimeSpan.FromSeconds(60), $"the server answers on port {port}; its output: {string.Join(Environment.NewLine, output.TakeLast(20))}");

                // Anyone else on the machine, without the password or with a guess, is refused.
                foreach (var guess in new[] { "", ";Password=postgres" })
                {
                    await using var stranger = new NpgsqlConnection(account + guess);
                    var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => stranger.OpenAsync());
                    Assert.Contains("password", refused.Message, StringComparison.OrdinalIgnoreCase);
                }
            }
            finally
            {
                Run("kill", "-INT", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        finally
        {
            Run("rm", "-rf", clone.FullName);
        }
    }

    private static Process Start(string? user, string script, string data, int port, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        var start = new ProcessStartInfo(user is null ? "bash" : "setpriv") { WorkingDirectory = data, RedirectStandardOutput = true, RedirectStandardError = true };
        if (user is not null)
        {
            foreach (var argument in new[] { $"--reuid={user}", $"--regid={user}", "--clear-groups", "bash" })
            {
                start.ArgumentList.Add(argument);
            }
        }

        start.ArgumentList.Add(script);
        start.Environment["PGDATA"] = Path.Combine(data, "cluster");
        start.Environment["PGPORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["POSTGRES_PASSWORD"] = Password;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => output.Enqueue(line.Data ?? string.Empty);
        process.ErrorDataReceived += (_, line) => output.Enqueue(line.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Run(string file, params string[] arguments)
    {
        using var process = Process.Start(file, arguments);
        process.WaitForExit();
    }

}
