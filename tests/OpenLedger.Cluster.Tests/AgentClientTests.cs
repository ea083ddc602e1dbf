using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Nethereum.Signer;
using OpenLedger.Client.Agents;
using OpenLedger.Client.Chain;
using OpenLedger.Client.OpenAi;
using OpenLedger.Testing;

namespace OpenLedger.Cluster.Tests;

/// <summary>
/// The agent SDK against a scripted grid on a loopback port: the exact text a request signature covers, typed refusals,
/// and which refusals are retried how often.
/// </summary>
public sealed class AgentClientTests : IAsyncLifetime
{
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static readonly string _privateKey = DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.AgentIndex);
    private static readonly EthereumMessageSigner _recoverer = new();

    // Fast waits: the policy is under test, not the clock.
    private static readonly AgentClientOptions _fast = new() { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(200) };
    private ScriptedGrid _grid = null!;

    public Task InitializeAsync()
    {
        _grid = ScriptedGrid.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _grid.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void The_signed_text_is_exactly_the_contracts()
    {
        var text = AgentRequestSigner.TextToSign("post", "/v1/completions", 1_700_000_000_123, "00112233445566778899aabbccddeeff", "abc"u8);
        Assert.Equal(
            "OpenLedger request\nPOST /v1/completions\n1700000000123\n00112233445566778899aabbccddeeff\n" +
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", text);
        Assert.Equal($"OpenLedger request\nGET /v1/agent?refresh=true\n5\nabcd\n{EmptySha256}",
            AgentRequestSigner.TextToSign("GET", "/v1/agent?refresh=true", 5, "abcd", []));
    }

    [Fact]
    public void A_signature_recovers_the_agents_address_and_covers_the_body()
    {
        var signer = new AgentRequestSigner(_privateKey);
        Assert.Equal(DevelopmentMnemonic.Address(DevelopmentMnemonic.AgentIndex), signer.Address);
        var nonce = AgentRequestSigner.NewNonce();
        Assert.Matches("^[0-9a-f]{32}$", nonce);

        var signed = signer.Sign("POST", "/v1/completions", "{\"prompt\":\"a\"}"u8, 1_700_000_000_000, nonce);
        Assert.Matches("^0x[0-9a-f]{130}$", signed.Signature);
        var text = AgentRequestSigner.TextToSign("POST", "/v1/completions", 1_700_000_000_000, nonce, "{\"prompt\":\"a\"}"u8);
        Assert.Equal(signer.Address, _recoverer.EncodeUTF8AndEcRecover(text, signed.Signature), ignoreCase: true);

        var other = signer.Sign("POST", "/v1/completions", "{\"prompt\":\"b\"}"u8, 1_700_000_000_000, nonce);
        Assert.NotEqual(signed.Signature, other.Signature);
        // A body swapped under a valid signature recovers someone else.
        var swapped = AgentRequestSigner.TextToSign("POST", "/v1/completions", 1_700_000_000_000, nonce, "{\"prompt\":\"b\"}"u8);
        Assert.NotEqual(signer.Address.ToLowerInvariant(), _recoverer.EncodeUTF8AndEcRecover(swapped, signed.Signature).ToLowerInvariant());
    }

    [Theory]
    [InlineData(429, "rate_limited", typeof(RateLimitedException))]
    [InlineData(429, "concurrency_limited", typeof(RateLimitedException))]
    [InlineData(429, "server_overloaded", typeof(RateLimitedException))]
    [InlineData(429, "budget_exceeded", typeof(BudgetExceededException))]
    [InlineData(403, "stake_too_low", typeof(StakeTooLowException))]
    [InlineData(402, "insufficient_deposit", typeof(DepositExhaustedException))]
    [InlineData(401, "invalid_api_key", typeof(AgentKeyRejectedException))]
    [InlineData(401, "key_revoked", typeof(AgentKeyRejectedException))]
    [InlineData(401, "replayed_request", typeof(AgentKeyRejectedException))]
    [InlineData(401, "forged_request", typeof(AgentKeyRejectedException))]
    [InlineData(401, "request_expired", typeof(AgentKeyRejectedException))]
    [InlineData(400, "invalid_signature", typeof(AgentApiException))]
    [InlineData(400, "challenge_expired", typeof(AgentApiException))]
    [InlineData(503, "economy_not_configured", typeof(AgentApiException))]
    [InlineData(404, "model_not_found", typeof(OpenAiApiException))]
    public async Task Each_refusal_arrives_as_its_type_after_one_request_unless_retryable(int status, string code, Type expected)
    {
        _grid.Answer = _ => Error(status, code, retryAfter: "0");
        using var agent = AgentClient.Connect(_grid.Url, "olk_test", options: _fast);

        var error = await Assert.ThrowsAnyAsync<OpenAiApiException>(() => agent.StatusAsync());

        Assert.IsType(expected, error);
        Assert.Equal(status, error.Status);
        Assert.Equal(code, error.Code);
        Assert.Equal("refused: " + code, error.Message);
        var retried = code is "rate_limited" or "concurrency_limited" or "server_overloaded";
        Assert.Equal(retried ? _fast.MaxRetries + 1 : 1, _grid.Requests.Count);
    }

    [Fact]
    public async Task A_rate_limit_is_retried_until_it_clears_with_a_fresh_signature_each_time()
    {
        var calls = 0;
        _grid.Answer = _ => Interlocked.Increment(ref calls) <= 2 ? Error(429, "concurrency_limited", retryAfter: "0") : Completion("inf-7");
        using var agent = AgentClient.Connect(_grid.Url, "olk_test", _privateKey, _fast);

        var answer = await agent.CompleteAsync("notes", "Hi");

        Assert.Equal("inf-7", answer.InferenceId);
        var sent = _grid.Requests.ToList();
        Assert.Equal(3, sent.Count);
        Assert.All(sent, r => Assert.Equal("Bearer olk_test", r.Header("Authorization")));
        // A repeated nonce would be refused as replayed.
        Assert.Equal(3, sent.Select(r => r.Header(AgentRequestSigner.NonceHeader)).Distinct().Count());
        Assert.All(sent, r => AssertSignedBy(r, agent.Address!));
    }

    [Fact]
    public async Task Retry_after_is_read_and_a_wait_longer_than_max_delay_goes_to_the_caller()
    {
        _grid.Answer = _ => Error(429, "rate_limited", retryAfter: "7");
        using var agent = AgentClient.Connect(_grid.Url, "olk_test", options: _fast);

        var error = await Assert.ThrowsAsync<RateLimitedException>(() => agent.ListModelsAsync());

        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.False(error.IsConcurrencyLimit);
        Assert.Single(_grid.Requests);
    }

    [Fact]
    public async Task Unavailable_is_retried_but_a_server_error_is_not()
    {
        var calls = 0;
        _grid.Answer = _ => Interlocked.Increment(ref calls) == 1 ? new Reply(503, "busy") : Status();
        using var agent = AgentClient.Connect(_grid.Url, "olk_test", options: _fast);
        Assert.True((await agent.StatusAsync()).Eligible);
        Assert.Equal(2, _grid.Requests.Count);

        _grid.Requests.Clear();
        _grid.Answer = _ => Error(500, "internal_error");
        await Assert.ThrowsAsync<OpenAiApiException>(() => agent.StatusAsync());
        Assert.Single(_grid.Requests);
    }

    [Fact]
    public async Task A_stream_that_has_started_is_never_sent_again()
    {
        _grid.Answer = _ => new Reply(200, "data: {\"id\":\"cmpl-1\",\"choices\":[{\"text\":\"The\"}]}\n\n", ContentType: "text/event-stream", CutOff: true);
        using var agent = AgentClient.Connect(_grid.Url, "olk_test", _privateKey, _fast);

        var pieces = new List<string>();
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await foreach (var chunk in agent.StreamCompletionAsync("notes", "Hi"))
            {
                pieces.Add(chunk.Text);
            }
        });

        Assert.Equal(["The"], pieces);
        Assert.Single(_grid.Requests);
    }

    [Fact]
    public async Task A_dropped_connection_is_retried_for_reads_only()
    {
        // Reads the request, then hangs up without a byte of response: the grid may or may not have acted on it.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = 0;
        using var stop = new CancellationTokenSource();
        var hangUp = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var socket = await listener.AcceptSocketAsync(stop.Token);
                Interlocked.Increment(ref accepted);
                // Hanging up before the request is read would let the socket handler resend it on its own, as never sent.
                var received = new StringBuilder();
                var buffer = new byte[4096];
                while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && await socket.ReceiveAsync(buffer, stop.Token) is > 0 and var n)
                {
                    received.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }
                socket.Close();
            }
        });
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        // The socket handler itself reconnects a few times for a GET; what is under test is how often the client repeats that.
        using (var once = AgentClient.Connect(url, "olk_test", options: new AgentClientOptions { MaxRetries = 0 }))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => once.StatusAsync());
        }
        var getOnce = Interlocked.Exchange(ref accepted, 0);
        using (var once = AgentClient.Connect(url, "olk_test", options: new AgentClientOptions { MaxRetries = 0 }))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => once.CompleteAsync("notes", "Hi"));
        }
        var postOnce = Interlocked.Exchange(ref accepted, 0);
        Assert.Equal(1, postOnce);

        using var agent = AgentClient.Connect(url, "olk_test", options: _fast);
        await Assert.ThrowsAsync<HttpRequestException>(() => agent.StatusAsync());
        Assert.Equal((_fast.MaxRetries + 1) * getOnce, Interlocked.Exchange(ref accepted, 0));
        await Assert.ThrowsAsync<HttpRequestException>(() => agent.CompleteAsync("notes", "Hi"));
        Assert.Equal(postOnce, Volatile.Read(ref accepted));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hangUp);
    }

    [Fact]
    public async Task An_attempt_that_gets_no_answer_in_time_is_a_timeout()
    {
        _grid.Answer = _ => new Reply(200, "{}", Delay: TimeSpan.FromSeconds(5));
        using var agent = AgentClient.Connect(_grid.Url, "olk_test", options: new AgentClientOptions { MaxRetries = 0, Timeout = TimeSpan.FromMilliseconds(200) });

        await Assert.ThrowsAsync<TimeoutException>(() => agent.StatusAsync());
    }

    [Fact]
    public async Task Register_signs_the_challenge_then_rotate_switches_keys_and_revokes_the_old_one()
    {
        var address = DevelopmentMnemonic.Address(DevelopmentMnemonic.AgentIndex).ToLowerInvariant();
        var issued = 0;
        _grid.Answer = r => (r.Method, r.PathAndQuery) switch
        {
            ("POST", "/v1/agents/challenge") => new Reply(200, Json(new { address, challenge = "Sign to get an OpenLedger key: 42", expires_at = "2030-01-01T00:00:00Z" })),
            ("POST", "/v1/agents/keys") => Key(Interlocked.Increment(ref issued)),
            ("DELETE", _) => new Reply(204, ""),
            _ => Status(),
        };
        Reply Key(int n) => new(201, Json(new { key = $"olk_{n}", key_id = $"key-{n}", address, stake_wei = "1000000000000000000000", created_at = "2026-11-24T10:00:00Z" }));

        using var agent = await AgentClient.RegisterAsync(_grid.Url, _privateKey, label: "bot", options: _fast);

        Assert.Equal(("olk_1", "key-1", address), (agent.ApiKey, agent.KeyId, agent.Address));
        var create = _grid.Requests.Single(r => r.PathAndQuery == "/v1/agents/keys");
        using (var body = JsonDocument.Parse(create.Body))
        {
            var root = body.RootElement;
            Assert.Equal("Sign to get an OpenLedger key: 42", root.GetProperty("challenge").GetString());
            Assert.Equal("bot", root.GetProperty("label").GetString());
            Assert.Equal(address, _recoverer.EncodeUTF8AndEcRecover("Sign to get an OpenLedger key: 42", root.GetProperty("signature").GetString()).ToLowerInvariant());
        }

        _grid.Requests.Clear();
        var rotated = await agent.RotateKeyAsync();

        Assert.Equal(("olk_2", "key-2"), (agent.ApiKey, agent.KeyId));
        Assert.Equal("olk_2", rotated.Key);
        var revoke = _grid.Requests.Single(r => r.Method == "DELETE");
        Assert.Equal("/v1/agent/keys/key-1", revoke.PathAndQuery);
        // The old key may already be gone, so the revocation rides on the new one.
        Assert.Equal("Bearer olk_2", revoke.Header("Authorization"));
        AssertSignedBy(revoke, address);
    }

    [Fact]
    public async Task Status_reads_limits_spend_evidence_and_slash_and_refresh_asks_the_chain()
    {
        _grid.Answer = _ => Status();
        using var agent = AgentClient.Connect(_grid.Url, "olk_test", options: _fast);

        var status = await agent.StatusAsync(refresh: true);

        Assert.Equal("/v1/agent?refresh=true", Assert.Single(_grid.Requests).PathAndQuery);
        Assert.Equal("0xabc0000000000000000000000000000000000001", agent.Address);
        Assert.True(status.Eligible);
        Assert.Equal(System.Numerics.BigInteger.Parse("1000000000000000000000"), status.StakeWei);
        Assert.Equal(2, status.Keys.Count);
        Assert.True(status.Keys[1].IsRevoked);
        Assert.Equal(new AgentLimits(5, 200.5, 4, 3000), status.Limits);
        Assert.Equal(new AgentUsage(1, 10_000, 8_000, 500, 1_500, 1_000), status.Usage);
        Assert.Equal(new System.Numerics.BigInteger(2000), status.SpentThisEpochWei);
        Assert.Equal(1, status.Warnings);
        var evidence = Assert.Single(status.Evidence);
        Assert.Equal(AgentMisbehaviour.ReplayedRequest, evidence.Kind);
        Assert.Equal(new AgentSlash(SlashStage.Slashed, 100, 50, 50, "0xdef", "0x99"), evidence.Slash);
    }

    private static void AssertSignedBy(Seen request, string address)
    {
        var timestamp = long.Parse(request.Header(AgentRequestSigner.TimestampHeader)!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - timestamp, 0, 60_000);
        var nonce = request.Header(AgentRequestSigner.NonceHeader)!;
        Assert.Matches("^[0-9a-f]{32}$", nonce);
        var text = AgentRequestSigner.TextToSign(request.Method, request.PathAndQuery, timestamp, nonce, request.Body);
        Assert.Equal(address, _recoverer.EncodeUTF8AndEcRecover(text, request.Header(AgentRequestSigner.SignatureHeader)), ignoreCase: true);
    }

    private static Reply Error(int status, string code, string? retryAfter = null) =>
        new(status, Json(new { error = new { message = "refused: " + code, type = "invalid_request_error", code, param = (string?)null } }), RetryAfter: retryAfter);

    private static Reply Completion(string id) =>
        new(200, Json(new { id, choices = new[] { new { text = "done", finish_reason = "stop" } }, usage = new { prompt_tokens = 1, completion_tokens = 1, total_tokens = 2 } }));

    private static Reply Status() => new(200, """
        {"address":"0xabc0000000000000000000000000000000000001","eligible":true,"stake_wei":"1000000000000000000000","minimum_stake_wei":"100",
         "keys":[{"key_id":"key-1","label":"bot","created_at":"2026-11-24T10:00:00Z","revoked_at":null},
                 {"key_id":"key-0","label":null,"created_at":"2026-11-23T10:00:00Z","revoked_at":"2026-11-24T09:00:00Z"}],
         "limits":{"requests_per_second":5,"tokens_per_second":200.5,"concurrency":4,"epoch_budget_wei":"3000"},
         "usage":{"in_flight":1,"deposit_wei":"10000","available_wei":"8000","reserved_wei":"500","unsettled_wei":"1500","budget_left_wei":"1000"},
         "warnings":1,
         "evidence":[{"hash":"0x01","kind":"replayed_request","observed_at":"2026-11-24T09:30:00Z","detail":"nonce seen twice",
                      "slash":{"stage":"slashed","amount_wei":"100","to_challenger_wei":"50","burned_wei":"50","challenger":"0xdef","transaction":"0x99"}}]}
        """);

    private static string Json(object value) => JsonSerializer.Serialize(value);

    /// <summary>What the scripted grid answers: a status and body, optionally late, or cut off after the body as a dead connection would.</summary>
    private sealed record Reply(int Status, string Body, string? RetryAfter = null, string ContentType = "application/json", bool CutOff = false, TimeSpan? Delay = null);

    /// <summary>A request as the scripted grid received it.</summary>
    private sealed record Seen(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    }

    /// <summary>An HTTP server on a loopback port that records each request and answers as <see cref="Reply"/> says.</summary>
    private sealed class ScriptedGrid : IDisposable
    {
        private readonly HttpListener _listener;

        private ScriptedGrid(HttpListener listener, Uri url)
        {
            _listener = listener;
            Url = url;
            _ = Task.Run(ServeAsync);
        }

        public Uri Url { get; }

        public ConcurrentQueue<Seen> Requests { get; } = new();

        public Func<Seen, Reply> Answer { get; set; } = _ => new Reply(404, "{}");

        public static ScriptedGrid Start()
        {
            for (var attempt = 0; ; attempt++)
            {
                var url = new Uri($"http://127.0.0.1:{LocalServer.FreePort()}/");
                var listener = new HttpListener();
                listener.Prefixes.Add(url.AbsoluteUri);
                try
                {
                    listener.Start();
                    return new ScriptedGrid(listener, url);
                }
                catch (HttpListenerException) when (attempt < 5)
                {
                    // Another process took the port between the check and the bind.
                    listener.Close();
                }
            }
        }

        public void Dispose()
        {
            // Stops the accept loop; answers still in flight fail quietly.
            _listener.Close();
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                _ = Task.Run(() => AnswerAsync(context));
            }
        }

        private async Task AnswerAsync(HttpListenerContext context)
        {
            var request = context.Request;
            using var body = new MemoryStream();
            await request.InputStream.CopyToAsync(body);
            var headers = request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var seen = new Seen(request.HttpMethod, request.RawUrl ?? "", headers, body.ToArray());
            Requests.Enqueue(seen);
            var reply = Answer(seen);
            if (reply.Delay is { } delay)
            {
                await Task.Delay(delay);
            }
            var response = context.Response;
            try
            {
                response.StatusCode = reply.Status;
                response.ContentType = reply.ContentType;
                if (reply.RetryAfter is not null)
                {
                    response.AddHeader("Retry-After", reply.RetryAfter);
                }
                var bytes = Encoding.UTF8.GetBytes(reply.Body);
                if (reply.CutOff)
                {
                    response.SendChunked = true;
                    await response.OutputStream.WriteAsync(bytes);
                    await response.OutputStream.FlushAsync();
                    // Time for the client to read the first event, so that what it saw is not up to a reset racing the data.
                    await Task.Delay(200);
                    // Closed without the final chunk: the client sees the stream end mid-answer.
                    response.Abort();
                    return;
                }
                response.ContentLength64 = bytes.Length;
                await response.OutputStream.WriteAsync(bytes);
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
            {
                // The client gave up first (a timeout test); nothing is waiting for this answer.
            }
        }
    }
}
