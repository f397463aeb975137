#include "httphead.h"
