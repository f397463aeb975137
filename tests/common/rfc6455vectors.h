#pragma once

// The opening-handshake examples of RFC 6455, shared by the tests that check them.

#include <QtCore/QByteArray>

namespace frameline::test {

// RFC 6455 §1.2: the example client handshake...
inline const QByteArray kRfcRequest = "GET /chat HTTP/1.1\r\n"
                                      "Host: server.example.com\r\n"
                                      "Upgrade: websocket\r\n"
                                      "Connection: Upgrade\r\n"
                                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                      "Origin: http://example.com\r\n"
                                      "Sec-WebSocket-Protocol: chat, superchat\r\n"
                                      "Sec-WebSocket-Version: 13\r\n"
                                      "\r\n";
// ...and the server's answer.
inline const QByteArray kRfcResponse = "HTTP/1.1 101 Switching Protocols\r\n"
                                       "Upgrade: websocket\r\n"
                                       "Connection: Upgrade\r\n"
                                       "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                                       "Sec-WebSocket-Protocol: chat\r\n"
                                       "\r\n";

} // namespace frameline::test
