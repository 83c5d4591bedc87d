"""Knipa's clinical core: the training programme as plain Python, without Django.

Every rule here cites the fact ids of `shared/program-spec.md` (W, P, T, E, C, S, K, H, L, A, V)
that it implements, so anyone can check the code against the guide it is built from.
"""
