#include "frameproblems.h"

#include <QtCore/QCoreApplication>

namespace frameline {
namespace {

class FrameProblemsText
{
    Q_DECLARE_TR_FUNCTIONS(frameline::FrameProblems)

public:
    static QStringList of(const FrameHeader &header, Direction direction)
    {
        QStringList problems;
        // §5.2: opcodes 0x3–0x7 and 0xB–0xF are reserved for further frames.
        if (isReservedOpcode(header.opcode))
            problems << tr("Reserved opcode 0x%1 (RFC 6455 §5.2).")
                            .arg(QString::number(header.opcode, 16).toUpper());
        // §5.5: control frames must not be fragmented.
        if (header.isControl() && !header.fin)
            problems << tr("A control frame with FIN = 0: control frames must not be "
                           "fragmented (RFC 6455 §5.5).");
        // §5.5: control frames carry at most 125 payload bytes.
        if (header.isControl() && header.payloadLength > 125)
            problems << tr("A control frame with %1 payload bytes; at most 125 are allowed "
                           "(RFC 6455 §5.5).")
                            .arg(header.payloadLength);
        // §5.2: the minimal number of bytes must be used to encode the length.
        if (header.nonMinimalLength)
            problems << tr("The length uses a %1-bit field where %2 bits would do; the "
                           "minimal encoding is required (RFC 6455 §5.2).")
                            .arg(int(header.lengthEncoding))
                            .arg(int(minimalLengthEncoding(header.payloadLength)));
        // §5.1: a client masks every frame it sends, a server none.
        if (direction == Direction::ClientToServer && !header.masked)
            problems << tr("An unmasked frame from the client: a client must mask every "
                           "frame (RFC 6455 §5.1).");
        if (direction == Direction::ServerToClient && header.masked)
            problems << tr("A masked frame from the server: a server must not mask "
                           "(RFC 6455 §5.1).");
        return problems;
    }
};

} // namespace

QStringList frameProblems(const FrameHeader &header, Direction direction)
{
    return FrameProblemsText::of(header, direction);
}

} // namespace frameline
