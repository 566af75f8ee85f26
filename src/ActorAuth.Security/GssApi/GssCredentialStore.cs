using System.Runtime.InteropServices;

namespace ActorAuth.Security;

/// <summary>A one-entry gss_key_value_set in native memory (the strings are NUL-terminated UTF-8).</summary>
internal sealed unsafe class GssCredentialStore : IDisposable
{
    private readonly IntPtr _key;
    private readonly IntPtr _value;
    private readonly GssApi.GssKeyValueElement* _element;
    private readonly GssApi.GssKeyValueSet* _set;

    public GssCredentialStore(string key, string value)
    {
        _key = Marshal.StringToCoTaskMemUTF8(key);
        _value = Marshal.StringToCoTaskMemUTF8(value);
        _element = (GssApi.GssKeyValueElement*)NativeMemory.Alloc((nuint)sizeof(GssApi.GssKeyValueElement));
        _element->Key = (byte*)_key;
        _element->Value = (byte*)_value;
        _set = (GssApi.GssKeyValueSet*)NativeMemory.Alloc((nuint)sizeof(GssApi.GssKeyValueSet));
        _set->Count = 1;
        _set->Elements = _element;
    }

    public GssApi.GssKeyValueSet* Pointer => _set;

    public void Dispose()
    {
        NativeMemory.Free(_set);
        NativeMemory.Free(_element);
        Marshal.FreeCoTaskMem(_value);
        Marshal.FreeCoTaskMem(_key);
    }
}
