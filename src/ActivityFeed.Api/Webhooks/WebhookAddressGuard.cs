using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ActivityFeed.Api.Webhooks;

/// <summary>
/// Keeps webhooks off non-public addresses twice: at registration (a clear 400), and at every
/// connect, where the address actually dialled is checked, so a name that later resolves
/// elsewhere (DNS rebinding) cannot get around the first check.
/// </summary>
public sealed class WebhookAddressGuard(IOptions<WebhookOptions> options)
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(3);

    private bool AllowLoopback => options.Value.AllowLoopback;

    /// <returns>Why the URL may not be registered, or null when it may.</returns>
    public async Task<string?> RefusalAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            return "url must be an absolute http or https URL.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "url may not carry credentials: authenticate the request by its signature.";
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ResolveTimeout);
            try
            {
                addresses = await Dns.GetHostAddressesAsync(uri.IdnHost, timeout.Token);
            }
            catch (Exception exception) when (exception is SocketException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // A name that does not resolve yet is not an address we refuse; every connect is checked again.
                return null;
            }
        }

        var refused = addresses.Where(a => !PublicAddresses.IsAllowed(a, AllowLoopback)).ToArray();
        return refused.Length == 0
            ? null
            : $"url's host {uri.Host} is {string.Join(", ", refused.Select(a => a.ToString()))}: webhooks only reach public addresses"
              + (AllowLoopback ? " (loopback is allowed here; private and link-local never are)." : ".");
    }

    /// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves, drops every non-public address, connects to what is left.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => PublicAddresses.IsAllowed(a, AllowLoopback)).ToArray();
        if (allowed.Length == 0)
        {
            throw new WebhookAddressRefusedException(
                $"refused: {host} resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}, not a public address");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>Thrown by the connect callback; the HTTP client wraps it in an <see cref="HttpRequestException"/>.</summary>
public sealed class WebhookAddressRefusedException(string message) : IOException(message);
