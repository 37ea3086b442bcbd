using Microsoft.AspNetCore.Mvc.Testing;

namespace EventBooking.FastTests.Infrastructure;

/// <summary>
/// A service on a real Kestrel (its limits and sockets are part of the contract), on a port the system picks as it
/// binds: a port picked first and bound later can be taken in between by any outgoing connection (a fast run failed on it).
/// </summary>
public abstract class KestrelFactory<TEntryPoint> : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{
    protected KestrelFactory() => UseKestrel(0);

    /// <summary>Where the started service listens.</summary>
    public Uri Address
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }
}
