using System.Net;
using System.Net.Sockets;

namespace Synapse.Registry.Tests.Backends;

/// <summary>
/// A TCP forwarder on loopback in front of a real server. <see cref="Cut"/> closes the listener and every open
/// connection, which to a client is exactly the server going away; <see cref="Restore"/> listens again on the
/// same port. Outage tests use it instead of stopping the shared servers that other tests are using.
/// </summary>
internal sealed class OutageProxy : IAsyncDisposable
{
    private readonly string targetHost;
    private readonly int targetPort;
    private readonly object gate = new();
    private readonly List<TcpClient> connections = [];
    private TcpListener? listener;
    private CancellationTokenSource? running;

    public OutageProxy(string targetHost, int targetPort)
    {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        Listen(0);
    }

    public int Port { get; private set; }

    public static OutageProxy For(Uri target) => new(target.Host, target.Port);

    public static OutageProxy For(string hostAndPort)
    {
        var colon = hostAndPort.LastIndexOf(':');
        return new OutageProxy(hostAndPort[..colon], int.Parse(hostAndPort[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Cut()
    {
        lock (gate)
        {
            running?.Cancel();
            listener?.Stop();
            listener = null;
            foreach (var connection in connections)
            {
                connection.Client.LingerState = new LingerOption(true, 0);
                connection.Dispose();
            }

            connections.Clear();
        }
    }

    public void Restore()
    {
        lock (gate)
        {
            if (listener is null)
            {
                Listen(Port);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }

    private void Listen(int port)
    {
        var socket = new TcpListener(IPAddress.Loopback, port);
        socket.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Start();
        Port = ((IPEndPoint)socket.LocalEndpoint).Port;
        listener = socket;
        running = new CancellationTokenSource();
        _ = AcceptLoop(socket, running.Token);
    }

    private async Task AcceptLoop(TcpListener socket, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await socket.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Forward(client, cancellationToken);
        }
    }

    private async Task Forward(TcpClient client, CancellationToken cancellationToken)
    {
        var server = new TcpClient();
        lock (gate)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                client.Dispose();
                server.Dispose();
                return;
            }

            connections.Add(client);
            connections.Add(server);
        }

        try
        {
            await server.ConnectAsync(targetHost, targetPort, cancellationToken);
            var upstream = client.GetStream();
            var downstream = server.GetStream();
            await Task.WhenAny(upstream.CopyToAsync(downstream, cancellationToken), downstream.CopyToAsync(upstream, cancellationToken));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (gate)
            {
                connections.Remove(client);
                connections.Remove(server);
            }

            client.Dispose();
            server.Dispose();
        }
    }
}
