process.setSourceMapsEnabled(true);
await import('./bundle/post.js');
