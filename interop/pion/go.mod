module jrtcpion
