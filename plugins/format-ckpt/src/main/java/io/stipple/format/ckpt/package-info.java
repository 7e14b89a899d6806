/**
 * PyTorch checkpoints ({@code torch.save}: {@code .ckpt}, {@code .pt}, {@code .pth}, {@code .bin}),
 * read as data only.
 *
 * <p>A checkpoint is a Python pickle plus raw storages. Unpickling it with a real unpickler runs
 * whatever the file names; this plugin never does. {@link io.stipple.format.ckpt.Unpickler}
 * interprets the opcodes itself and builds plain values: a GLOBAL resolves, through a fixed table
 * ({@link io.stipple.format.ckpt.TorchGlobals}, after torch's own {@code weights_only} allow-list),
 * to a name, and a call of that name ({@link io.stipple.format.ckpt.TorchCalls}) builds the data
 * torch would have built: a dict, a tensor description, a tuple. Any other global, INST, OBJ,
 * EXT, NEWOBJ or BUILD on anything but a tensor or dict stops the load. No class is loaded by
 * name and no reflection is used.
 *
 * <p>Flow: {@link io.stipple.format.ckpt.CkptFormat} maps the file and picks
 * {@link io.stipple.format.ckpt.ZipCheckpoint} (torch 1.6+) or
 * {@link io.stipple.format.ckpt.LegacyCheckpoint}; the pickle gives the root value and the
 * storages it names ({@link io.stipple.format.ckpt.StorageTable});
 * {@link io.stipple.format.ckpt.StateDictLayout} finds the tensors (unwrapping {@code state_dict},
 * {@code model}, ...; flattening nested dicts with dots); each tensor is checked against its
 * storage ({@link io.stipple.format.ckpt.TensorPlan}) and served by
 * {@link io.stipple.format.ckpt.CkptIndex} as a slice of the mapped file, or as a copy for strided
 * views and big-endian files. Every size a file declares is checked before it is used, and
 * {@link io.stipple.format.ckpt.CkptLimits} bounds what a hostile file can make the reader allocate.
 */
package io.stipple.format.ckpt;
