using System.Runtime.InteropServices;

namespace ActorAuth.Security;

/// <summary>A gss_key_value_set in native memory (the strings are NUL-terminated UTF-8).</summary>
internal sealed unsafe class GssCredentialStore : IDisposable
{
    private readonly IntPtr[] _strings;
    private readonly GssApi.GssKeyValueElement* _elements;
    private readonly GssApi.GssKeyValueSet* _set;

    /// <summary>A one-entry store, e.g. {"ccache": name}.</summary>
    public GssCredentialStore(string key, string value)
        : this([(key, value)])
    {
    }

    /// <summary>A store of several entries, in order (MIT reads e.g. keytab, client_keytab and ccache from one).</summary>
    public GssCredentialStore(ReadOnlySpan<(string Key, string Value)> entries)
    {
        _strings = new IntPtr[entries.Length * 2];
        _elements = (GssApi.GssKeyValueElement*)NativeMemory.Alloc((nuint)entries.Length, (nuint)sizeof(GssApi.GssKeyValueElement));
        for (int i = 0; i < entries.Length; i++)
        {
            _strings[2 * i] = Marshal.StringToCoTaskMemUTF8(entries[i].Key);
            _strings[(2 * i) + 1] = Marshal.StringToCoTaskMemUTF8(entries[i].Value);
            _elements[i].Key = (byte*)_strings[2 * i];
            _elements[i].Value = (byte*)_strings[(2 * i) + 1];
        }

        _set = (GssApi.GssKeyValueSet*)NativeMemory.Alloc((nuint)sizeof(GssApi.GssKeyValueSet));
        _set->Count = (uint)entries.Length;
        _set->Elements = _elements;
    }

    public GssApi.GssKeyValueSet* Pointer => _set;

    public void Dispose()
    {
        NativeMemory.Free(_set);
        NativeMemory.Free(_elements);
        foreach (IntPtr s in _strings)
        {
            Marshal.FreeCoTaskMem(s);
        }
    }
}
