using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EventBooking.AppHost.Messaging;

/// <summary>
/// The local broker's accounts, as a definitions file it imports at every boot: the services' account with the
/// generated password (so a new password takes effect at the next start), and the built-in guest account with a
/// password nobody knows. A node made before this had guest/guest, and an import can change an account, not remove it.
/// </summary>
internal static class BrokerAccounts
{
    public static async Task WriteDefinitionsAsync(string path, string userName, string password, CancellationToken cancellationToken)
    {
        var definitions = new
        {
            users = new[]
            {
                new { name = userName, password_hash = Hash(password), hashing_algorithm = "rabbit_password_hashing_sha256", tags = "" },
                new { name = "guest", password_hash = Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), hashing_algorithm = "rabbit_password_hashing_sha256", tags = "" },
            },
            vhosts = new[] { new { name = "/" } },
            permissions = new[] { new { user = userName, vhost = "/", configure = ".*", write = ".*", read = ".*" } },
        };

        // Only a hash of the password is written, readable by this user alone.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var file = new FileStream(path, options);
        await JsonSerializer.SerializeAsync(file, definitions, cancellationToken: cancellationToken);
    }

    /// <summary>RabbitMQ's salted SHA-256: base64(salt ‖ SHA-256(salt ‖ UTF-8 password)), with a 4-byte salt.</summary>
    internal static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(4);
        var hash = SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(password)]);
        return Convert.ToBase64String([.. salt, .. hash]);
    }
}
