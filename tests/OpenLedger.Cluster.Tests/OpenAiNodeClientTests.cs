using System.Diagnostics;
using System.Text.Json;
using OpenLedger.Client;
using OpenLedger.Client.Agents;
using OpenLedger.Client.OpenAi;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Lora;
using OpenLedger.Serving;
using OpenLedger.Testing;
using Xunit.Abstractions;

namespace OpenLedger.Cluster.Tests;

/// <summary>
/// The stock <c>openai</c> npm client, unchanged, against a real silo: an agent's existing OpenAI code must work with
/// only the base URL and key swapped. The SDK's <see cref="AgentClient"/> runs against the same silo, signing its requests.
/// </summary>
public sealed class OpenAiNodeClientTests(ITestOutputHelper log) : IAsyncLifetime
{
    private const string AgentKey = "test-agent-key-node-5c1e";
    private const string AdapterId = "node-notes";
    private Azurite _storage = null!;
    private Redis _redis = null!;
    private SiloProcess _silo = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _storage = await Azurite.StartAsync();
        _redis = await Redis.StartAsync();
        _port = LocalServer.FreePort();
        var gateway = LocalServer.FreePort();
        var clusterId = $"openai-node-{Guid.NewGuid():N}";
        _silo = SiloProcess.Start(_port, LocalServer.FreePort(), gateway, [
            $"--OpenLedger:Silo:StorageConnectionString={_storage.ConnectionString}", $"--OpenLedger:Silo:RedisConnectionString={_redis.ConnectionString}",
            $"--OpenLedger:Silo:ClusterId={clusterId}", $"--OpenLedger:Agents:Keys:0={AgentKey}"]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
        await _silo.WaitHealthyAsync(http);
        await using var grid = await GridClient.ConnectAsync(new GridClientOptions { ClusterId = clusterId, StorageConnectionString = _storage.ConnectionString, GatewayPort = gateway });
        var baseInfo = await TinyBaseModels.ImportAsync(grid, seed: 37);
        using var model = HfCheckpoint.Load(TinyBaseModels.Write(37));
        var adapter = SyntheticAdapters.Create(model, new LoraSettings(4, 8, 0, LoraSettings.AllTargets), 3, 0.2, baseInfo.Name);
        await grid.Cluster.GetGrain<IAdapterGrain>(AdapterId).Deploy(new AdapterDeployment(baseInfo.Name, AdapterConfigJson: adapter.ConfigJson, AdapterWeights: adapter.Weights));
    }

    public async Task DisposeAsync()
    {
        await _silo.TerminateAsync();
        _silo.Dispose();
        await _redis.DisposeAsync();
        await _storage.DisposeAsync();
    }

    [Fact]
    public async Task The_stock_openai_client_lists_completes_streams_and_sees_a_wrong_key_as_an_authentication_error()
    {
        var (exitCode, output, errors) = await RunCheckAsync($"http://127.0.0.1:{_port}/v1", AgentKey);
        log.WriteLine(output);

        Assert.True(exitCode == 0, $"the check exited with {exitCode}:\n{output}\n{errors}\nsilo:\n{_silo.Output}");
        using var summary = JsonDocument.Parse(output);
        var root = summary.RootElement;
        Assert.Contains(root.GetProperty("models").EnumerateArray(), m => m.GetProperty("id").GetString() == AdapterId);
        Assert.Equal(AdapterId, root.GetProperty("model").GetString());

        var completion = root.GetProperty("completion");
        Assert.StartsWith("inf-", completion.GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(completion.GetProperty("text").GetString()));
        Assert.True(completion.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 0);
        Assert.True(completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);

        var chat = root.GetProperty("chat");
        Assert.StartsWith("inf-", chat.GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(chat.GetProperty("text").GetString()));
        Assert.True(chat.GetProperty("chunks").GetInt32() > 1);
        Assert.True(chat.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);

        var wrongKey = root.GetProperty("wrong_key");
        Assert.Equal("AuthenticationError", wrongKey.GetProperty("error").GetString());
        Assert.Equal(401, wrongKey.GetProperty("status").GetInt32());
        Assert.Equal("invalid_api_key", wrongKey.GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_sdk_agent_client_lists_streams_chats_and_reads_attribution_with_signed_requests()
    {
        using var agent = AgentClient.Connect(new Uri($"http://127.0.0.1:{_port}"), AgentKey, Client.Chain.DevelopmentMnemonic.PrivateKey(Client.Chain.DevelopmentMnemonic.AgentIndex));

        var models = await agent.ListModelsAsync();
        Assert.Contains(models, m => m.Id == AdapterId && m.BaseModel is not null);

        var pieces = new List<OpenAiCompletionChunk>();
        await foreach (var chunk in agent.StreamChatAsync(AdapterId, [new OpenAiChatMessage("user", "Summarise the shift.")], new OpenAiSampling(MaxTokens: 6)))
        {
            pieces.Add(chunk);
        }
        var inference = Assert.IsType<string>(pieces[^1].InferenceId);
        Assert.True(pieces[^1].Usage?.CompletionTokens > 0);

        var whole = await agent.CompleteAsync(AdapterId, "Shift notes:", new OpenAiSampling(MaxTokens: 4));
        Assert.StartsWith("inf-", whole.InferenceId);

        var attribution = await agent.GetAttributionAsync(inference);
        Assert.Equal(inference, attribution.InferenceId);
        Assert.Equal(AdapterId, attribution.AdapterId);

        using var stranger = AgentClient.Connect(new Uri($"http://127.0.0.1:{_port}"), "olk_not-a-key");
        var refused = await Assert.ThrowsAsync<AgentKeyRejectedException>(() => stranger.ListModelsAsync());
        Assert.Equal((401, AgentErrors.InvalidApiKey), (refused.Status, refused.Code));
    }

    /// <summary>Runs the check script with <c>openai</c> resolved from deploy/node_modules.</summary>
    private static async Task<(int ExitCode, string Output, string Errors)> RunCheckAsync(string baseUrl, string key)
    {
        RepoPaths.NodeTool("openai/package.json");
        var folder = Path.Combine(AppContext.BaseDirectory, "node");
        // ES modules resolve packages from the importing file's folders up, never from NODE_PATH: the copy gets a link.
        var link = Path.Combine(folder, "node_modules");
        if (!Directory.Exists(link))
        {
            Directory.CreateSymbolicLink(link, RepoPaths.NodeModules);
        }
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        info.ArgumentList.Add(Path.Combine(folder, "openai-client-check.mjs"));
        info.ArgumentList.Add(baseUrl);
        info.Environment["OPENAI_API_KEY"] = key;
        using var node = Process.Start(info) ?? throw new InvalidOperationException("Could not start node.");
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException("The openai client check did not finish in 3 minutes:\n" + await output + await errors);
        }
        return (node.ExitCode, await output, await errors);
    }
}
