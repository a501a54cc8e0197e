// The tally demo: the counts of every post on the page arrive on one Server-Sent Event stream (which also makes
// this page a live viewer of each post); one stream, not one per post, because a browser opens at most 6 HTTP/1.1
// connections per host for all its tabs together. The like button toggles this browser's like. Without
// authentication (TALLY_AUTH=none) the viewer id is random and kept in localStorage, so reloading keeps your likes.
// With TALLY_AUTH=jwt, open the page as /#token=<token> (from ./tally token <user_id>): the token is kept in
// localStorage, sent as a bearer token, and its subject is the viewer. The fragment never reaches a server or its logs.
(function () {
  'use strict';

  const params = new URLSearchParams(location.search);
  const posts = [...new Set((params.get('posts') || '1,2,3,4').split(',').map(s => s.trim())
    .filter(s => /^[1-9][0-9]*$/.test(s)))].slice(0, 100);

  function bearerToken() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    if (fragment.get('token')) {
      localStorage.setItem('tally-token', fragment.get('token'));
      history.replaceState(null, '', location.pathname + location.search);
    }
    return localStorage.getItem('tally-token');
  }

  function subjectOf(token) {
    try {
      const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      return /^[1-9][0-9]*$/.test(String(payload.sub)) ? String(payload.sub) : null;
    } catch (e) {
      return null;
    }
  }

  function viewerId() {
    let id = localStorage.getItem('tally-user-id');
    if (!/^[1-9][0-9]*$/.test(id || '')) {
      id = String(1 + Math.floor(Math.random() * 2147483646));
      localStorage.setItem('tally-user-id', id);
    }
    return id;
  }

  const token = bearerToken();
  const userId = (token && subjectOf(token)) || viewerId();
  document.getElementById('user-id').textContent = userId + (token ? ' (signed in)' : '');

  async function send(method, path, body) {
    const headers = body ? { 'Content-Type': 'application/json' } : {};
    if (token) {
      headers['Authorization'] = 'Bearer ' + token;
    }
    const response = await fetch(path, {
      method: method,
      headers: headers,
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await response.json();
    if (response.status === 401) {
      localStorage.removeItem('tally-token');
      throw new Error('sign in: open this page as /#token=… (./tally token <user_id>)');
    }
    if (!response.ok) {
      throw new Error(json.message || response.statusText);
    }
    return json;
  }

  function showLiked(card, liked) {
    const button = card.querySelector('.like');
    button.dataset.liked = liked ? 'true' : 'false';
    button.classList.toggle('liked', liked);
    button.textContent = liked ? '♥ Liked' : '♡ Like';
  }

  function show(card, counts) {
    card.querySelector('.likes').textContent = counts.likes;
    card.querySelector('.views').textContent = counts.views;
    card.querySelector('.live').textContent = counts.live_users;
  }

  function addPost(postId) {
    const card = document.getElementById('post-template').content.firstElementChild.cloneNode(true);
    card.id = 'post-' + postId;
    card.querySelector('h2').textContent = 'Post #' + postId;
    const button = card.querySelector('.like');
    const status = card.querySelector('.status');
    document.getElementById('posts').appendChild(card);

    send('PUT', '/v1/' + postId + '/views', { action: 'increment' }).catch(e => { status.textContent = e.message; });
    send('GET', '/v1/' + postId + '/likes?user_id=' + userId)
      .then(answer => { showLiked(card, answer.liked === true); button.disabled = false; })
      .catch(e => { status.textContent = e.message; });

    button.addEventListener('click', () => {
      const liked = button.dataset.liked === 'true';
      button.disabled = true;
      send('PUT', '/v1/' + postId + '/likes', { action: liked ? 'decrement' : 'increment', user_id: Number(userId) })
        .then(answer => {
          // 202 means accepted but not yet counted: the stream brings the count shortly.
          showLiked(card, answer.liked === undefined ? !liked : answer.liked === true);
          if (answer.count !== undefined) {
            card.querySelector('.likes').textContent = answer.count;
          }
        })
        .catch(e => { status.textContent = e.message; })
        .finally(() => { button.disabled = false; });
    });
  }

  function cardOf(postId) {
    return document.getElementById('post-' + postId);
  }

  function follow() {
    // post_id in each event's data says which card it updates; JSON numbers of ids up to 2^53 stay exact here.
    const stream = new EventSource('/v1/stream?post_ids=' + posts.join(','));
    stream.addEventListener('counts', event => {
      const counts = JSON.parse(event.data);
      const card = cardOf(counts.post_id);
      if (card) {
        show(card, counts);
        card.querySelector('.status').textContent = '';
      }
    });
    stream.onerror = () => {
      posts.forEach(postId => { cardOf(postId).querySelector('.status').textContent = 'reconnecting…'; });
    };
  }

  posts.forEach(addPost);
  if (posts.length > 0) {
    follow();
  }
})();
