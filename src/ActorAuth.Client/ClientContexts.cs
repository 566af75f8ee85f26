using System.Net;
using System.Net.Security;
using System.Security.Principal;
using ActorAuth.Security;

namespace ActorAuth.Client;

/// <summary>How every client here makes its security context: from a shared credential, or else a password (none: the ticket cache).</summary>
internal static class ClientContexts
{
    /// <exception cref="ArgumentException">Both a shared credential and a password were given.</exception>
    public static ClientSecurityContext Create(
        ClientCredential? shared, NetworkCredential? credential, string package, SecurityProvider provider,
        string spn, ProtectionLevel protectionLevel, TokenImpersonationLevel impersonationLevel, MessageProtection messageProtection = MessageProtection.Managed) =>
        shared is not null
            ? credential is null
                ? shared.CreateContext(spn, protectionLevel, impersonationLevel, messageProtection)
                : throw new ArgumentException("Give either a shared credential or a user name and password, not both.", "options")
            : new ClientSecurityContext(
                new ClientContextOptions
                {
                    Package = package,
                    TargetName = spn,
                    Credential = credential,
                    RequiredProtectionLevel = protectionLevel,
                    AllowedImpersonationLevel = impersonationLevel,
                    MessageProtection = messageProtection,
                },
                provider);
}
