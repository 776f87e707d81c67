using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace PostNext.Testing;

/// <summary>
/// Small but real media files, written byte by byte: a baseline grayscale JPEG (every 8×8 block one flat grey), a
/// grayscale PNG, and an MP4/MOV with a movie header and one video track header (its media data is filler, so it
/// does not play, but every header a reader looks at is as an encoder writes it). A few KB each.
/// </summary>
public static class TestMedia
{
    /// <summary>A decodable baseline JPEG of <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static byte[] Jpeg(int width, int height)
    {
        using var jpeg = new MemoryStream();
        jpeg.Write([0xFF, 0xD8]);                                                               // SOI
        Segment(jpeg, 0xE0, [.. "JFIF\0"u8, 1, 1, 0, 0, 1, 0, 1, 0, 0]);                          // APP0 JFIF 1.1
        Segment(jpeg, 0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);                             // DQT: table 0, all 1
        Segment(jpeg, 0xC0, [8, .. U16(height), .. U16(width), 1, 1, 0x11, 0]);                  // SOF0: one component
        Segment(jpeg, 0xC4, [0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00]);       // DHT DC 0: "0" = category 0
        Segment(jpeg, 0xC4, [0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00]);       // DHT AC 0: "0" = end of block
        Segment(jpeg, 0xDA, [1, 1, 0x00, 0, 63, 0]);                                             // SOS
        var blocks = (long)((width + 7) / 8) * ((height + 7) / 8);
        var bits = blocks * 2;                                                                  // per block: DC diff 0, then EOB
        var scan = new byte[(bits + 7) / 8];
        if (bits % 8 != 0)
        {
            scan[^1] = (byte)(0xFF >> (int)(bits % 8));                                          // padding with 1 bits
        }

        jpeg.Write(scan);
        jpeg.Write([0xFF, 0xD9]);                                                               // EOI
        return jpeg.ToArray();
    }

    /// <summary>A valid 8-bit grayscale PNG of <paramref name="width"/>×<paramref name="height"/>, all black.</summary>
    public static byte[] Png(int width, int height)
    {
        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[width + 1]; // filter type 0, then the pixels
            for (var y = 0; y < height; y++)
            {
                zlib.Write(row);
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, .. "PNG\r\n\u001a\n"u8]);
        Chunk(png, "IHDR", [.. U32((uint)width), .. U32((uint)height), 8, 0, 0, 0, 0]);
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>
    /// An MP4 (or, with <paramref name="quickTime"/>, a MOV) of a <paramref name="width"/>×<paramref name="height"/>
    /// video track lasting <paramref name="seconds"/>, with <paramref name="mediaBytes"/> of media data placed after the
    /// <c>moov</c> box, or before it with <paramref name="moovLast"/> (as encoders write without "faststart").
    /// </summary>
    public static byte[] Mp4(int width, int height, double seconds, bool moovLast = false, int mediaBytes = 4096, bool quickTime = false)
    {
        const uint timeScale = 1000;
        var duration = (uint)Math.Round(seconds * timeScale);
        var ftyp = quickTime
            ? Box("ftyp", "qt  "u8.ToArray(), U32(0x200), "qt  "u8.ToArray())
            : Box("ftyp", "isom"u8.ToArray(), U32(0x200), "isomiso2avc1mp41"u8.ToArray());
        var mvhd = Box("mvhd", U32(0), U32(0), U32(0), U32(timeScale), U32(duration), U32(0x00010000), U16(0x0100), new byte[10], Matrix(), new byte[24], U32(2));
        var tkhd = Box("tkhd", U32(3), U32(0), U32(0), U32(1), U32(0), U32(duration), new byte[8], U16(0), U16(0), U16(0), U16(0), Matrix(),
            U32((uint)width << 16), U32((uint)height << 16));
        var moov = Box("moov", mvhd, Box("trak", tkhd));
        var mdat = Box("mdat", Enumerable.Range(0, mediaBytes).Select(i => (byte)(i * 31)).ToArray());
        return moovLast ? [.. ftyp, .. mdat, .. moov] : [.. ftyp, .. moov, .. mdat];
    }

    private static void Segment(Stream jpeg, byte marker, byte[] payload)
    {
        jpeg.Write([0xFF, marker]);
        jpeg.Write(U16(payload.Length + 2));
        jpeg.Write(payload);
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(U32((uint)data.Length));
        png.Write(typeBytes);
        png.Write(data);
        png.Write(U32(Crc32([.. typeBytes, .. data])));
    }

    private static byte[] Box(string type, params byte[][] parts)
    {
        var body = parts.SelectMany(p => p).ToArray();
        return [.. U32((uint)(body.Length + 8)), .. Encoding.ASCII.GetBytes(type), .. body];
    }

    // The identity transformation matrix of a movie or track header (16.16 and 2.30 fixed point).
    private static byte[] Matrix() => [.. U32(0x00010000), .. U32(0), .. U32(0), .. U32(0), .. U32(0x00010000), .. U32(0), .. U32(0), .. U32(0), .. U32(0x40000000)];

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] U16(int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
        return bytes;
    }

    // CRC-32 (ISO-HDLC) as PNG chunks use it.
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
