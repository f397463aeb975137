#include "websocketprotocol.h"
