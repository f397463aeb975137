#include "messageassembler.h"
