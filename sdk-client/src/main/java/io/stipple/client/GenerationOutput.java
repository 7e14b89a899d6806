package io.stipple.client;

import io.stipple.proto.v1.Image;
import io.stipple.proto.v1.Result;
import java.util.List;

/** Everything a finished generation returned: the images in batch order and the result summary. */
public record GenerationOutput(List<Image> images, Result result) {}
