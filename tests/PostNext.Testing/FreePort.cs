using System.Net;
using System.Net.Sockets;

namespace PostNext.Testing;

/// <summary>Free loopback TCP ports for servers started by tests.</summary>
public static class FreePort
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>A port that is free now and was not handed out before in this process.</summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (Handed)
            {
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
