import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { posts } from '../db/schema.js';
import { postKinds } from '../domain/types.js';
import { type PostInput, postFields, postSchema } from '../schemas/resources.js';
import { uuidSchema } from '../schemas/common.js';
import { registerResource } from './resource.js';
import { siteOfCouncil } from './sites.js';

export function registerPosts(app: FastifyInstance) {
  registerResource<PostInput>(app, {
    table: posts,
    path: 'posts',
    idParam: 'postId',
    nouns: ['Post', 'Posts'],
    label: 'post',
    tag: 'Posts',
    fields: postFields,
    output: postSchema,
    network: {
      rows: (network) => network.posts,
      filters: z.object({ siteId: uuidSchema.optional(), kind: z.enum(postKinds).optional() }),
    },
    patchExample: { fte: 0.8 },
    createExample: {
      siteId: '3f1c8f0e-2b7a-4d7e-9a39-2f1d5c0b6e21',
      title: 'Centre manager',
      kind: 'management',
      fte: 1,
      annualCostPerFtePence: 5_200_000,
    },
    rowChecks: (councilId, next) => async (tx) => {
      await siteOfCouncil(tx, councilId, next.siteId, '/siteId');
    },
  });
}
