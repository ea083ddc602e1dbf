using OpenLedger.Client.Chain;
using OpenLedger.Grains.Economy;

namespace OpenLedger.Cluster.Tests.Security;

/// <summary>
/// The settlement key at rest: written encrypted with an owner-only password file (as `openledger chain deploy
/// --settler-key-out` writes it), opened by the silo's reader, and a plain-hex file or a wrong password stops the real
/// silo executable with the file named. A silo that starts on such a keystore is the <see cref="AgentGrid"/> itself.
/// </summary>
public sealed class SettlerKeystoreTests : IDisposable
{
    private static readonly string _settlerKey = DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.SettlerIndex);
    private readonly string _folder = Directory.CreateTempSubdirectory("openledger-settler").FullName;

    [Fact]
    public void The_keystore_holds_no_plain_key_and_both_files_are_owner_only()
    {
        var (key, password) = Write();
        var text = File.ReadAllText(key);
        Assert.DoesNotContain(_settlerKey[2..], text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(File.ReadAllText(password).Trim(), text, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(password));
        }

        // The silo's reader opens it to the same key; two writes never share a password.
        var options = new EconomyOptions { SettlerKeyFile = key, SettlerKeyPasswordFile = password };
        Assert.Equal(_settlerKey[2..], options.LoadSettlerKey(), ignoreCase: true);
        var (_, second) = Write("again");
        Assert.NotEqual(File.ReadAllText(password), File.ReadAllText(second));
    }

    [Fact]
    public void The_reader_refuses_a_plain_hex_file_and_a_wrong_password_with_typed_errors()
    {
        var plain = Path.Combine(_folder, "plain.key");
        File.WriteAllText(plain, _settlerKey);
        var (key, password) = Write();
        var notEncrypted = Assert.Throws<SettlerKeyNotEncryptedException>(() =>
            new EconomyOptions { SettlerKeyFile = plain, SettlerKeyPasswordFile = password }.LoadSettlerKey());
        Assert.Equal(plain, notEncrypted.Path);

        var wrong = Assert.Throws<SettlerKeyPasswordException>(() =>
            new EconomyOptions { SettlerKeyFile = key, SettlerKeyPassword = "not-the-password" }.LoadSettlerKey());
        Assert.Equal(key, wrong.Path);
        Assert.Contains("SettlerKeyPassword", wrong.Message);
    }

    [Fact]
    public async Task The_silo_refuses_to_start_on_a_plain_hex_key_file_naming_it()
    {
        var plain = Path.Combine(_folder, "settler.key");
        File.WriteAllText(plain, _settlerKey);
        var (_, password) = Write();
        var output = await FailedStartAsync($"--OpenLedger:Economy:SettlerKeyFile={plain}", $"--OpenLedger:Economy:SettlerKeyPasswordFile={password}");
        Assert.Contains($"SettlerKeyFile '{plain}' is not an encrypted keystore", output);
    }

    [Fact]
    public async Task The_silo_refuses_to_start_on_a_wrong_password_naming_the_keystore()
    {
        var (key, password) = Write();
        File.WriteAllText(password, "wrong-password\n");
        var output = await FailedStartAsync($"--OpenLedger:Economy:SettlerKeyFile={key}", $"--OpenLedger:Economy:SettlerKeyPasswordFile={password}");
        Assert.Contains($"does not open the settlement keystore '{key}'", output);
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (string Key, string Password) Write(string name = "settler")
    {
        var key = Path.Combine(_folder, name + ".json");
        var password = Path.Combine(_folder, name + ".password");
        SettlerKeyFiles.Write(_settlerKey, key, password);
        return (key, password);
    }

    // The options are checked when the host starts, before Orleans or the chain is reached, so no server is needed.
    private static async Task<string> FailedStartAsync(params string[] keySettings)
    {
        const string contract = "0x00000000000000000000000000000000000000a1";
        using var silo = SiloProcess.Start(LocalServer.FreePort(), LocalServer.FreePort(), LocalServer.FreePort(), [
            "--OpenLedger:Silo:StorageConnectionString=UseDevelopmentStorage=true", "--OpenLedger:Silo:RedisConnectionString=127.0.0.1:1",
            "--OpenLedger:Economy:RpcUrl=http://127.0.0.1:1", "--OpenLedger:Economy:ChainId=1337",
            $"--OpenLedger:Economy:FeeVault={contract}", $"--OpenLedger:Economy:Distributor={contract}", $"--OpenLedger:Economy:Registry={contract}",
            $"--OpenLedger:Economy:FeeSplit={contract}", $"--OpenLedger:Economy:Treasury={contract}", .. keySettings]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await silo.Process.WaitForExitAsync(timeout.Token);
        Assert.NotEqual(0, silo.Process.ExitCode);
        return silo.Output;
    }
}
